"""Template tags for the navigation shell."""

from django import template

from ytcs.accounts.scope import search_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def may_search(context: template.Context) -> bool:
    """Whether the current user may search and open individual records (shows the search link)."""
    user = context["request"].user
    return user.is_authenticated and bool(search_scope(user).paths)
