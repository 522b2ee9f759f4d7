"""Whether a viewer sees a person's identifiers in full: one rule, applied wherever data leaves the system.

Identifiers (CCCD, social-insurance and health-insurance numbers, phone numbers) are shown in full only to
the people who enter data for the person's commune or village: the station and the village health worker.
Everyone else who may open the record (a system administrator, a provincial user given the right) sees the
last four characters. Serializers, FHIR builders, exports, prints and templates all ask :func:`masker_for`;
none decides on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ytcs.accounts.scope import capture_scope

IDENTIFIER_FIELDS = frozenset(
    {"cccd", "phone", "bhyt_card_number", "social_insurance_number", "emergency_contact_phone"}
)
MASK = "•"


def mask(value: str | None, keep: int = 4) -> str:
    """``value`` with all but its last ``keep`` characters replaced by •; empty stays empty."""
    if not value:
        return ""
    return MASK * max(len(value) - keep, 0) + value[-keep:]


@dataclass(frozen=True)
class Masker:
    """The decision for one viewer and one person's place, applied field by field."""

    full: bool
    do_not_call_in_templates = True  # templates pass it to the ``identifier`` tag, which calls it per field

    def __call__(self, field: str, value: Any) -> Any:
        if self.full or field not in IDENTIFIER_FIELDS or not value:
            return value
        return mask(str(value))

    def record(self, data: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``data`` (field → value) with every identifier masked for this viewer."""
        return {field: self(field, value) for field, value in data.items()}


def masker_for(viewer: Any, person: Any) -> Masker:
    """How ``viewer`` sees the identifiers of ``person`` (anything with ``commune`` and ``village``)."""
    return Masker(full=capture_scope(viewer).covers_place(person.commune, getattr(person, "village", None)))
