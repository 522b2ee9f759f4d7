"""The one error vocabulary of ytcs: what services raise and what every edge turns into a response.

Services raise :class:`DomainError` carrying every :class:`FieldError` they found (not just the first), so a
form, an API endpoint, a CLI command and a background job all report the same fields, codes and messages.
Refusals are two exceptions with one rule (``docs/architecture.md``, "Refusals"):

- :class:`OutOfScope` (404): the record or unit is absent, or outside the user's scope for that action. The
  two are indistinguishable, so existence is never leaked.
- :class:`NotAllowed` (403): the user can see the target, but their role may not take this action on it.

Both subclass Django's own exceptions, so Django views answer 404/403 without any handler; the API maps them
to the one JSON error body in ``ytcs.core.api``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``field`` is the input's name as the client sent it (``systolic``, ``diagnoses.0.code``, ``members.1.cccd``),
    or ``None`` for a problem with the request as a whole; ``code`` is stable for programs (``required``,
    ``invalid``, ``out_of_range``, ``unknown_code``…); ``message`` is for people, already translated into the
    active language. A ``warning`` does not block the write; it travels with the saved record.
    """

    field: str | None
    code: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict:
        data = asdict(self)
        if self.severity == ERROR:
            del data["severity"]
        return data

    def prefixed(self, prefix: str) -> FieldError:
        """The same error for a nested input (``members.2`` + ``cccd`` → ``members.2.cccd``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return FieldError(field, self.code, self.message, self.severity)


class DomainError(Exception):
    """Input a service refuses. Carries every problem found; edges answer 422 (API) or re-show the form."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field or '-'}: {e.message}" for e in self.errors))

    @classmethod
    def one(cls, field: str | None, code: str, message: str) -> DomainError:
        return cls([FieldError(field, code, message)])

    def by_field(self) -> dict[str | None, list[str]]:
        grouped: dict[str | None, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message)
        return grouped

    def as_dict(self) -> dict:
        return {"errors": [e.as_dict() for e in self.errors]}


class OutOfScope(Http404):
    """The target is absent or outside the user's scope; both answer 404."""


class NotAllowed(PermissionDenied):
    """The user can see the target but their role may not take this action on it; answers 403."""
