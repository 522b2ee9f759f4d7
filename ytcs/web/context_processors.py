"""What the navigation shell shows on every page, decided by the user's scopes.

Every menu entry is offered on the same condition its page checks (``ytcs.accounts.scope``), so
what the menu offers is what answers 200 — for a user of an abolished commune too.
"""

from functools import cache, partial

from django.http import HttpRequest
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.accounts.scope import (
    capture_communes,
    capture_scope,
    effective_units,
    is_system_admin,
    search_scope,
    unit_change,
)


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_search": bool(search_scope(user).paths),
        "can_capture": bool(capture_scope(user).paths),
        "can_register": bool(capture_communes(user)),
        "can_audit": is_system_admin(user),
        "has_unit": bool(effective_units(user)),
        "unit_label": cache(partial(unit_label, user)),  # computed once, and only where a template shows it
        "unit_name": cache(partial(unit_name, user)),
    }


def unit_name(user: User) -> str:
    """The current unit(s) the user works at, by name: the short form for the top bar."""
    return ", ".join(unit.name for unit in effective_units(user))


def unit_label(user: User) -> str:
    """The user's unit as the interface names it.

    A current unit is its name. An abolished one shows where it went and since when:
    "Phường Sông Hiến → Phường Thục Phán từ 01/07/2025" (several successors of a split
    commune are listed, main one first). Empty for a user attached to no unit.
    """
    change = unit_change(user)
    if change is None:
        return unit_name(user)
    return _("%(old)s → %(new)s từ %(date)s") % {
        "old": change.old.name,
        "new": ", ".join(unit.name for unit in change.successors) or "—",
        "date": date_format(change.since, "d/m/Y") if change.since else "—",
    }
