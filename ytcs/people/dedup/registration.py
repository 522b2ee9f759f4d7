"""Likely duplicates shown *before* a registration is saved, and the user's answer kept.

A person already on the register is often registered again — another household book, a name typed
without marks, a birth date with day and month swapped. The register services (``resident_create``,
``household_register``) therefore score each new person against the residents the user may open
(``accounts.scope.scoped_residents``: nothing outside the user's scope is ever shown or hinted at)
with the review queue's own scoring (``dedup.scoring``), and stop at the "likely" ones:

- **this is the same person**: nothing is saved; the user goes to the existing record instead;
- **another person**: the user says why, sends the registration again with the candidates' ids, and
  each pair is written to the review queue as already decided ``not_duplicate`` with that reason, so
  the scan never proposes it again. The decision is audited.

Showing the candidates is itself a read of personal data: every time they are shown (on the form, in
the form's live check, in the API's 409) an audit row names them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, FieldError
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.access import scoped_residents
from ytcs.people.dedup.models import CandidateLevel, CandidateStatus, DuplicateCandidate
from ytcs.people.dedup.scoring import REASON_LABELS, PairScore, Person, score_pair
from ytcs.people.models import Resident

MAX_SHOWN = 5
REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class Match:
    """An existing resident who is likely the person being registered, and why."""

    resident: Resident
    score: PairScore

    @property
    def reasons(self) -> list[str]:
        """The evidence for, in words (what the form shows beside the candidate)."""
        return [str(REASON_LABELS.get(code, code)) for code, points in self.score.reasons if points > 0]

    def as_dict(self) -> dict:
        """The candidate as the API's 409 names it: who, where, how likely and why; no identifier."""
        person = self.resident
        return {
            "id": person.pk, "full_name": person.full_name, "sex": person.sex,
            "birth_date": person.birth_date.isoformat(), "commune_id": person.commune_id,
            "village_id": person.village_id, "village": person.village.name if person.village else "",
            "household_id": person.household_id, "household_code": person.household.code if person.household else "",
            "level": str(self.score.level), "score": self.score.points,
            "reasons": [{"code": code, "label": str(REASON_LABELS.get(code, code)), "points": points}
                        for code, points in self.score.reasons],
        }


@dataclass(frozen=True)
class DifferentPeople:
    """The user's answer "another person" to the candidates shown: their ids, and why."""

    resident_ids: frozenset[int]
    reason: str


class DuplicatesFound(DomainError):
    """The registration is paused: ``matches`` (by member index; 0 for one person) await an answer.

    A ``DomainError`` with one ``possible_duplicate`` error per person (and a ``required`` one for an answer
    "another person" given without a reason, in ``missing_reason``), so an edge that does not know about
    duplicates still refuses the registration with a message (a 422) rather than saving it; the API answers
    409 with the candidates as well (``api_register``).
    """

    def __init__(self, matches: dict[int, list[Match]], *, members: bool, missing_reason: set[int]) -> None:
        self.matches = matches
        self.missing_reason = missing_reason
        errors = []
        for index, found in matches.items():
            prefix = f"members.{index}." if members else ""
            errors.append(FieldError(prefix.rstrip(".") or None, "possible_duplicate", _(
                "Có thể người này đã có trong sổ (%(names)s). Nếu đúng là cùng một người, hãy mở hồ sơ đã có "
                "thay vì đăng ký mới; nếu là người khác, hãy xác nhận và ghi lý do."
            ) % {"names": "; ".join(f"{m.resident.full_name}, {m.resident.birth_date:%d/%m/%Y}" for m in found)}))
            if index in missing_reason:
                errors.append(FieldError(f"{prefix}not_duplicate_reason", "required",
                                         _("Hãy ghi lý do đây là người khác.")))
        super().__init__(errors)


def _person(resident: Resident, commune: OrgUnit) -> Person:
    name = " ".join(p for p in (resident.family_name, resident.middle_name, resident.given_name) if p)
    return Person(
        resident.pk or 0, commune.pk, resident.village_id, resident.household_id, fold(name), resident.sex,
        resident.birth_date, ids.normalise_digits(resident.cccd or "") or None,
        ids.normalise_digits(resident.social_insurance_number or "") or None,
        ids.normalise_digits(resident.bhyt_card_number or "").upper(), ids.normalise_phone(resident.phone or ""),
    )


def _given_share(commune: OrgUnit, given: str) -> float:
    """The share of the commune's residents with this (folded) given name, as the scan computes it."""
    living = Resident.objects.active().filter(commune=commune)
    total = living.count()
    same = living.filter(Q(name_folded=given) | Q(name_folded__endswith=f" {given}")).count()
    return max(same, 1) / max(total, 1)


def likely_duplicates(*, actor: User, resident: Resident, commune: OrgUnit) -> list[Match]:
    """The residents ``actor`` may open who are likely ``resident`` (not saved yet), best first.

    Compared: every active resident in scope born within a year of ``resident``, or sharing its phone or
    BHYT card code — a few hundred rows in a commune, scored in Python like the scan does.
    """
    if not (resident.birth_date and resident.given_name and resident.family_name and resident.sex):
        return []
    person = _person(resident, commune)
    year = resident.birth_date.year
    near = Q(birth_year__gte=year - 1, birth_year__lte=year + 1)
    if person.phone:
        near |= Q(phone=person.phone)
    if person.bhyt_card_number:
        near |= Q(bhyt_card_number=person.bhyt_card_number)
    rows = scoped_residents(actor).active().filter(near)
    if resident.pk:
        rows = rows.exclude(pk=resident.pk)
    share = _given_share(commune, person.words[-1]) if person.words else 0.01
    scored = [(score_pair(person, Person(*row), given_share=lambda _, s=share: s), row[0])
              for row in rows.values_list(*Person.FIELDS)]
    likely = sorted(((s, pk) for s, pk in scored if s.level == CandidateLevel.LIKELY),
                    key=lambda item: (-item[0].points, item[1]))[:MAX_SHOWN]
    shown = Resident.objects.select_related("village", "household", "commune").in_bulk([pk for _, pk in likely])
    return [Match(shown[pk], s) for s, pk in likely]


def audit_shown(*, context: AuditContext, matches: Iterable[Match]) -> None:
    """One audit row naming every candidate shown to the user."""
    shown = [m.resident.pk for m in matches]
    if shown:
        audit_record(context=context, action=AuditAction.LIST, resource_type=ResourceType.RESIDENT,
                     subject_ids=shown, changes={"duplicate_check": "registration", "shown": len(shown)})


def registration_preview(*, context: AuditContext, resident: Resident, commune: OrgUnit) -> list[Match]:
    """The likely duplicates of a person still being typed (the form's live check); audited when any."""
    matches = likely_duplicates(actor=context.actor, resident=resident, commune=commune)
    audit_shown(context=context, matches=matches)
    return matches


def registration_check(*, context: AuditContext, residents: list[Resident], commune: OrgUnit,
                       answers: dict[int, DifferentPeople], members: bool) -> dict[int, list[Match]]:
    """Each new person's likely duplicates, once the input is valid and before anything is written.

    Raises ``DuplicatesFound`` — after auditing what it shows — while any person has a likely duplicate the
    user has not answered "another person" for (an answer covers the candidates it names; one that appeared
    since is asked about again). Returns the answered matches, for ``record_different_people``.
    """
    pending, answered, missing_reason = {}, {}, set()
    for index, resident in enumerate(residents):
        matches = likely_duplicates(actor=context.actor, resident=resident, commune=commune)
        if not matches:
            continue
        answer = answers.get(index)
        if answer is not None and not answer.reason.strip():
            missing_reason.add(index)
            pending[index] = matches
        elif answer is None or not {m.resident.pk for m in matches} <= answer.resident_ids:
            pending[index] = matches
        else:
            answered[index] = matches
    if pending:
        audit_shown(context=context, matches=[m for found in pending.values() for m in found])
        raise DuplicatesFound(pending, members=members, missing_reason=missing_reason)
    return answered


def record_different_people(*, context: AuditContext, resident: Resident, matches: list[Match],
                            answer: DifferentPeople) -> None:
    """Keep "another person" for each pair, decided, with the reason; audited. Runs in the caller's transaction."""
    now = timezone.now()
    for match in matches:
        other = match.resident
        left, right = (resident, other) if resident.pk < other.pk else (other, resident)
        candidate, _created = DuplicateCandidate.objects.update_or_create(
            left=left, right=right,
            defaults={"commune_id": left.commune_id, "score": match.score.points, "level": match.score.level,
                      "reasons": match.score.reasons, "status": CandidateStatus.NOT_DUPLICATE,
                      "reviewed_by": context.actor, "reviewed_at": now,
                      "decision_note": answer.reason.strip()[:REASON_MAX_LENGTH]},
        )
        audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.DUPLICATE_CANDIDATE,
                     resource_id=candidate.pk, subject_ids=[left.pk, right.pk],
                     changes={"status": [None, CandidateStatus.NOT_DUPLICATE], "decided_at": [None, "registration"]})
