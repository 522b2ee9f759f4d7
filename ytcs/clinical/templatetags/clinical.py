from django import template

from ytcs.clinical.icd10 import icd10_title as _icd10_title

register = template.Library()


@register.filter
def icd10_title(code: str) -> str:
    """The Vietnamese (else English) title of an ICD-10 code."""
    return _icd10_title(code)
