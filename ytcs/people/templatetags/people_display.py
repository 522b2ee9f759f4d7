"""Display of personal identifiers, as the viewer's masker (``ytcs.accounts.masking``) allows."""

from typing import Any

from django import template

from ytcs.accounts.masking import Masker, mask

register = template.Library()


@register.simple_tag
def identifier(masker: Masker | None, field: str, value: Any) -> str:
    """``value`` of the identifier ``field`` as ``masker`` shows it; masked when the page has no masker."""
    if masker is None:
        return mask(value)
    return masker(field, value) or ""


@register.filter
def masked(value: Any) -> str:
    """An identifier in a list of people (search results): only its last four characters, whoever reads it."""
    return mask(value)
