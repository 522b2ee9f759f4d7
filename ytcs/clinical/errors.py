"""Typed validation errors shared by the service, the form and the API (one shape everywhere)."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``field`` is the input name (``systolic``, ``diagnoses.0.code``, ``prescriptions.1.quantity``);
    ``code`` is stable for clients (``required``, ``invalid``, ``out_of_range``, ``unknown_code``...);
    ``message`` is already translated into the active language.
    """

    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class ClinicalValidationError(Exception):
    """Raised by services when input fails validation; carries every problem found, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message)
        return grouped
