"""Writes of the duplicate workflow: scan a commune, record a review decision, merge two residents, undo.

A merge never deletes anybody. Every row of every model that points at the removed resident is
re-pointed at the kept one — found through ``Resident._meta`` (hidden relations included, so models
added later and ``related_name="+"`` links are covered without touching this module) — and the
removed registration stays as an inactive record whose ``merged_into`` names the kept one. The
``MergeLog`` keeps the exact rows moved and the values changed, and ``resident_merge_undo`` puts them
back. Both run in one transaction and write the audit rows in it.

Reviewing and merging is data capture: both residents must lie in the actor's capture scope. Where the actor
can open them but not capture there the answer is 403, elsewhere 404 (:mod:`ytcs.people.capture`, which also
audits the refusal). A merge the data does not allow raises ``DomainError`` with a message the user can act on.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.scope import capture_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, NotAllowed, OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.people.capture import require_capture_of_record
from ytcs.people.dedup.blocking import candidate_pairs
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate, MergeLog
from ytcs.people.dedup.scoring import Person, score_pair
from ytcs.people.models import Resident

# Links that describe the residents rather than belong to them: the audit trail must keep naming the
# person who was actually shown, and the dedup bookkeeping refers to both records on purpose.
NOT_MOVED = {"audit.AuditSubject", "people.DuplicateCandidate", "people.MergeLog"}
# Fields a merge never copies into the kept record: who the person is stays as the reviewer chose it.
NOT_FILLED = {
    "id", "merged_into", "created_at", "updated_at", "family_name", "middle_name", "given_name", "full_name",
    "name_folded", "sex", "birth_date", "birth_year", "commune", "completeness_pct",
}


# --- scan ---


@dataclass
class ScanResult:
    communes: int = 0
    residents: int = 0
    pairs_compared: int = 0
    likely: int = 0
    possible: int = 0
    created: int = 0
    removed_stale: int = 0


def _given_share(people: list[Person]) -> Callable[[str], float]:
    counts = Counter(p.words[-1] for p in people if p.words)
    total = max(len(people), 1)
    return lambda given: counts.get(given, 1) / total


def duplicates_scan_commune(*, context: AuditContext, commune: OrgUnit, result: ScanResult | None = None) -> ScanResult:
    """Score the candidate pairs of one commune's active residents and refresh its review queue.

    Pairs already decided (merged, not a duplicate) are left as they are; undecided ones are updated,
    and undecided ones that no longer reach the threshold are removed. One transaction.
    """
    result = result or ScanResult()
    people = [
        Person(*row)
        for row in Resident.objects.active().filter(commune=commune).values_list(*Person.FIELDS)
    ]
    share = _given_share(people)
    found: dict[tuple[int, int], tuple[float, str, list]] = {}
    for a, b in candidate_pairs(people):
        result.pairs_compared += 1
        scored = score_pair(a, b, given_share=share)
        if scored.level:
            found[(a.pk, b.pk)] = (scored.points, scored.level, scored.reasons)
    with transaction.atomic():
        existing = {(c.left_id, c.right_id): c for c in DuplicateCandidate.objects.filter(commune=commune)}
        stale = [c.pk for key, c in existing.items() if c.status == CandidateStatus.NEW and key not in found]
        result.removed_stale += DuplicateCandidate.objects.filter(pk__in=stale).delete()[0]
        changed, new = [], []
        for (left, right), (points, level, reasons) in found.items():
            candidate = existing.get((left, right))
            if candidate is None:
                new.append(DuplicateCandidate(left_id=left, right_id=right, commune=commune, score=points,
                                              level=level, reasons=reasons))
            elif candidate.status == CandidateStatus.NEW:
                candidate.score, candidate.level, candidate.reasons = points, level, reasons
                changed.append(candidate)
        DuplicateCandidate.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(changed, ["score", "level", "reasons", "updated_at"], batch_size=1000)
        audit_record(
            context=context, action=AuditAction.CREATE, resource_type=ResourceType.DUPLICATE_CANDIDATE,
            resource_id=f"scan:{commune.code}",
            changes={"scan": [None, {"commune": commune.code, "residents": len(people), "found": len(found)}]},
        )
    result.communes += 1
    result.residents += len(people)
    result.created += len(new)
    result.likely += sum(1 for _, level, _ in found.values() if level == "likely")
    result.possible += sum(1 for _, level, _ in found.values() if level == "possible")
    return result


def duplicates_scan(*, context: AuditContext, communes: Iterable[OrgUnit],
                    on_progress: Callable[[OrgUnit], None] | None = None) -> ScanResult:
    """Scan each commune in turn (one transaction per commune, so a long province scan can be resumed)."""
    result = ScanResult()
    for commune in communes:
        duplicates_scan_commune(context=context, commune=commune, result=result)
        if on_progress:
            on_progress(commune)
    return result


def duplicates_scan_for(*, context: AuditContext) -> ScanResult:
    """Scan the communes the actor captures data for (the button on the review queue); 403 for a role that
    captures nowhere."""
    scope = capture_scope(context.actor)
    if not scope:
        raise NotAllowed
    inside = Q()
    for path in scope.paths:
        inside |= Q(path__startswith=path)
    communes = list(OrgUnit.objects.filter(inside, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True))
    # A village health worker's scope is a village: scan its commune.
    for unit in scope.units:
        if unit.level > OrgUnit.Level.COMMUNE:
            village = OrgUnit.objects.select_related("parent").get(pk=unit.pk)
            communes.append(village.parent)
    return duplicates_scan(context=context, communes=dict.fromkeys(communes))


# --- review decision ---


def candidate_mark_not_duplicate(*, context: AuditContext, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record the reviewer's "these are two different people"; a later scan leaves the pair alone."""
    _require_capture(context, candidate.left, candidate.right)
    with transaction.atomic():
        before = candidate.status
        candidate.status = CandidateStatus.NOT_DUPLICATE
        candidate.reviewed_by, candidate.reviewed_at = context.actor, timezone.now()
        candidate.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        audit_record(
            context=context, action=AuditAction.UPDATE, resource_type=ResourceType.DUPLICATE_CANDIDATE,
            resource_id=candidate.pk, subject_ids=[candidate.left_id, candidate.right_id],
            changes={"status": [before, candidate.status]},
        )
    return candidate


# --- merge ---


def _require_capture(context: AuditContext, *residents: Resident) -> None:
    """Both residents in the capture scope; the first refusal (404 before 403: an unseen one decides) is raised."""
    refusals: list[NotAllowed | OutOfScope] = []
    for resident in residents:
        try:
            require_capture_of_record(context, resident)
        except (NotAllowed, OutOfScope) as exc:
            refusals.append(exc)
    if refusals:
        raise next((r for r in refusals if isinstance(r, OutOfScope)), refusals[0])


def resident_links() -> list[ForeignObjectRel]:
    """Every foreign key and one-to-one pointing at ``Resident`` whose rows a merge moves.

    ``get_fields(include_hidden=True)`` rather than ``related_objects``: the latter leaves out links
    declared with ``related_name="+"`` (a diagnosis's resident, a household's head).
    """
    links = []
    for rel in Resident._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model._meta.label in NOT_MOVED:
            continue
        if rel.related_model is Resident and rel.field.name == "merged_into":
            continue
        links.append(rel)
    return links


def _label(rel: ForeignObjectRel) -> str:
    return f"{rel.related_model._meta.label}.{rel.field.name}"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _move(rel: ForeignObjectRel, source: Resident, target: Resident) -> tuple[list, list]:
    """Re-point ``rel``'s rows from ``source`` to ``target``; rows a uniqueness rule keeps back are returned
    as left behind. Each attempt runs in a savepoint so one refusal does not spoil the transaction."""
    model, name = rel.related_model, rel.field.name
    rows = model._base_manager.filter(**{name: source})
    if model is Resident:
        rows = rows.exclude(pk=target.pk)  # never make the kept resident point at itself
    pks = [_jsonable(pk) for pk in rows.values_list("pk", flat=True)]
    if not pks:
        return [], []
    if rel.one_to_one and model._base_manager.filter(**{name: target}).exists():
        return [], pks
    try:
        with transaction.atomic():
            model._base_manager.filter(pk__in=pks).update(**{name: target})
        return pks, []
    except IntegrityError:
        moved, left = [], []
        for pk in pks:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{name: target})
                moved.append(pk)
            except IntegrityError:
                left.append(pk)
        return moved, left


def _locked(*pks: int) -> dict[int, Resident]:
    rows = Resident.objects.select_for_update(no_key=True, of=("self",)).filter(pk__in=sorted(pks)).order_by("pk")
    return {r.pk: r for r in rows.select_related("commune", "village")}


def resident_merge(
    *, context: AuditContext, keep: Resident, remove: Resident, candidate: DuplicateCandidate | None = None
) -> MergeLog:
    """Merge ``remove`` into ``keep``: move every linked row, fill ``keep``'s empty fields from ``remove``,
    mark ``remove`` inactive (``merged_into``), log it all for undo, audit both residents.

    Both must lie in the actor's capture scope (403 where the actor can open them, 404 otherwise).
    """
    _require_capture(context, keep, remove)
    if keep.pk == remove.pk:
        raise DomainError.one(None, "merge_same_record", _("Không thể gộp một hồ sơ với chính nó."))
    with transaction.atomic():
        locked = _locked(keep.pk, remove.pk)
        keep, remove = locked[keep.pk], locked[remove.pk]
        if keep.merged_into_id or remove.merged_into_id:
            raise DomainError.one(None, "merge_already_merged",
                                  _("Một trong hai hồ sơ đã được gộp trước đó; hãy tải lại trang."))
        moved, left_behind = {}, {}
        for rel in resident_links():
            done, kept_back = _move(rel, remove, keep)
            if done:
                moved[_label(rel)] = done
            if kept_back:
                left_behind[_label(rel)] = kept_back
        filled, removed_values, cleared = {}, {}, {}
        # Unique by unique=True or by a one-field UniqueConstraint (how Resident declares CCCD and BHXH number).
        unique = {f.name for f in Resident._meta.concrete_fields if f.unique} | {
            c.fields[0] for c in Resident._meta.total_unique_constraints if len(c.fields) == 1
        }
        for field in Resident._meta.concrete_fields:
            if field.name in NOT_FILLED or not field.editable:
                continue
            mine, theirs = getattr(keep, field.attname), getattr(remove, field.attname)
            if _empty(mine) and not _empty(theirs):
                filled[field.attname] = [_jsonable(mine), _jsonable(theirs)]
                if field.name in unique:  # hand the identifier over: two rows may not hold it
                    removed_values[field.attname] = _jsonable(theirs)
                    cleared[field.attname] = None if field.null else ""
        now = timezone.now()
        removed_values["merged_into_id"] = None
        Resident.objects.filter(pk=remove.pk).update(merged_into=keep, updated_at=now, **cleared)
        Resident.objects.filter(pk=keep.pk).update(
            updated_at=now, **{name: getattr(remove, name) for name in filled}
        )
        log = MergeLog.objects.create(
            kept=keep, removed=remove, candidate=candidate, actor=context.actor, moved=moved, left_behind=left_behind,
            filled=filled, removed_values=removed_values,
        )
        pair = DuplicateCandidate.objects.filter(
            left_id=min(keep.pk, remove.pk), right_id=max(keep.pk, remove.pk)
        ).first()
        if pair is not None:
            pair.status, pair.reviewed_by, pair.reviewed_at = CandidateStatus.MERGED, context.actor, now
            pair.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
            if candidate is None:
                MergeLog.objects.filter(pk=log.pk).update(candidate=pair)
        counts = {label: len(pks) for label, pks in moved.items()}
        audit_record(
            context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT, resource_id=keep.pk,
            subject_ids=[keep.pk, remove.pk],
            changes={"merged_from": [None, remove.pk], "moved": [None, counts], "filled": [None, sorted(filled)]},
        )
        audit_record(
            context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT, resource_id=remove.pk,
            subject_ids=[remove.pk], changes={"merged_into": [None, keep.pk], "cleared": [None, sorted(cleared)]},
        )
    return log


def _resolve(label: str) -> tuple[type[Model], str] | None:
    app_model, _, field = label.rpartition(".")
    try:
        return apps.get_model(app_model), field
    except LookupError:
        return None


def resident_merge_undo(*, context: AuditContext, merge_log: MergeLog) -> MergeLog:
    """Put back what ``merge_log`` changed: rows moved back, ``kept``'s filled fields emptied again (where
    nobody changed them since), ``removed`` active again with its own values. Audited on both residents."""
    _require_capture(context, merge_log.kept, merge_log.removed)
    with transaction.atomic():
        log = MergeLog.objects.select_for_update().get(pk=merge_log.pk)
        locked = _locked(log.kept_id, log.removed_id)
        kept, removed = locked[log.kept_id], locked[log.removed_id]
        if log.undone_at:
            raise DomainError.one(None, "merge_already_undone", _("Lần gộp này đã được hoàn tác."))
        if kept.merged_into_id:
            raise DomainError.one(None, "merge_kept_merged_again", _(
                "Hồ sơ giữ lại đã được gộp tiếp vào hồ sơ khác; hãy hoàn tác lần gộp đó trước."))
        if removed.merged_into_id != kept.pk:
            raise DomainError.one(None, "merge_undo_impossible", _(
                "Hồ sơ đã gộp không còn trỏ tới hồ sơ giữ lại; không thể hoàn tác tự động."))
        returned = {}
        for label, pks in log.moved.items():
            target = _resolve(label)
            if target is None:
                continue
            model, name = target
            returned[label] = model._base_manager.filter(pk__in=pks, **{name: kept}).update(**{name: removed})
        emptied = {}
        for attname, (old, new) in log.filled.items():
            field = Resident._meta.get_field(attname)  # accepts "village_id" as well as "village"
            if _jsonable(getattr(kept, attname)) == new:
                emptied[attname] = field.to_python(old) if old is not None else None
        now = timezone.now()
        Resident.objects.filter(pk=kept.pk).update(updated_at=now, **emptied)
        restored = {}
        for attname, value in log.removed_values.items():
            field = Resident._meta.get_field(attname)
            restored[attname] = field.to_python(value) if value is not None else None
        Resident.objects.filter(pk=removed.pk).update(updated_at=now, **restored)
        log.undone_at, log.undone_by = now, context.actor
        log.save(update_fields=["undone_at", "undone_by"])
        if log.candidate_id:
            DuplicateCandidate.objects.filter(pk=log.candidate_id).update(
                status=CandidateStatus.NEW, reviewed_by=None, reviewed_at=None, updated_at=now
            )
        audit_record(
            context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT, resource_id=kept.pk,
            subject_ids=[kept.pk, removed.pk],
            changes={"merged_from": [removed.pk, None], "moved_back": [None, returned],
                     "emptied": [None, sorted(emptied)]},
        )
        audit_record(
            context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT, resource_id=removed.pk,
            subject_ids=[removed.pk], changes={"merged_into": [kept.pk, None], "restored": [None, sorted(restored)]},
        )
    return log
