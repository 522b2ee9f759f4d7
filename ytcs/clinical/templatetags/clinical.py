from typing import Any

from django import template

from ytcs.clinical.icd10 import icd10_title as _icd10_title
from ytcs.clinical.selectors import may_capture
from ytcs.people.models import Resident

register = template.Library()


@register.filter
def icd10_title(code: str) -> str:
    """The Vietnamese (else English) title of an ICD-10 code."""
    return _icd10_title(code)


@register.simple_tag(takes_context=True)
def may_record_for(context: dict[str, Any], resident: Resident) -> bool:
    """Whether the signed-in user may record visits for ``resident``: a page offers no link that would be
    refused (an administrator or a provincial viewer opens the record but does not write to it)."""
    request = context.get("request")
    return request is not None and may_capture(request.user, resident)
