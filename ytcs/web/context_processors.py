"""What the navigation shell shows on every page, decided by the user's scopes."""

from django.http import HttpRequest

from ytcs.accounts.scope import capture_scope, is_system_admin, search_scope


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_search": bool(search_scope(user).paths),
        "can_capture": bool(capture_scope(user).paths),
        "can_audit": is_system_admin(user),
    }
