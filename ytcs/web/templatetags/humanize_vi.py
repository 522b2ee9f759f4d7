"""Number formatting that follows the active language (1.234 in Vietnamese, 1,234 in English).

Django's Vietnamese locale sets the separator but no grouping, so grouping by three is done here.
"""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def vi_number(value: int | None) -> str:
    """Group an integer's thousands with the active locale's separator."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
