"""Display of personal identifiers: in full for the people who work on the record, masked for others."""

from django import template

from ytcs.people.selectors import mask

register = template.Library()


@register.simple_tag
def identifier(value: str | None, show_full: bool) -> str:
    """``value`` in full when ``show_full``, otherwise only its last four characters."""
    return (value or "") if show_full else mask(value)
