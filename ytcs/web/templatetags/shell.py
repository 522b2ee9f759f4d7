"""Template tags for the navigation shell."""

from django import template

from ytcs.accounts.scope import search_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def may_search(context: template.Context) -> bool:
    """Whether the current user may search and open individual records (shows the search link)."""
    user = context["request"].user
    return user.is_authenticated and bool(search_scope(user).paths)


@register.filter
def display_name(user: object) -> str:
    """A user's name in Vietnamese order (family name first), or the username when no name is set."""
    name = f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}".strip()
    return name or getattr(user, "username", "")
