"""Reads of the duplicate workflow: the review queue, one pair side by side, one merge. Scoped and audited.

The queue belongs to the people who can act on it: a pair shows only when *both* residents lie in the
actor's capture scope, and anything else answers 404 — audited ``denied`` naming both people when the pair
or merge exists, as the access module does for a refused record. Each side comes with the viewer's
masker (``ytcs.accounts.masking``) for its identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from ytcs.accounts.masking import Masker, masker_for
from ytcs.accounts.models import User
from ytcs.accounts.scope import capture_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import OutOfScope
from ytcs.core.labels import relation_label
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate, MergeLog
from ytcs.people.models import Resident

QUEUE_PAGE_SIZE = 20


def _in_capture(actor: User, prefix: str) -> object:
    return capture_scope(actor).q(f"{prefix}__commune")


def scoped_candidates(actor: User) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two residents both lie in the actor's capture scope."""
    return DuplicateCandidate.objects.filter(_in_capture(actor, "left")).filter(_in_capture(actor, "right"))


def duplicate_queue(*, context: AuditContext, status: str = CandidateStatus.NEW, page: int | str = 1) -> Page:
    """The actor's pairs with ``status``, highest score first; audited as a list naming both sides of each."""
    pairs = (
        scoped_candidates(context.actor)
        .filter(status=status)
        .select_related("left__village", "left__commune", "right__village", "right__commune")
        .order_by("-score", "pk")
    )
    if status == CandidateStatus.NEW:
        pairs = pairs.filter(left__merged_into__isnull=True, right__merged_into__isnull=True)
    result = Paginator(pairs, QUEUE_PAGE_SIZE).get_page(page)
    audit_record(
        context=context, action=AuditAction.LIST, resource_type=ResourceType.DUPLICATE_CANDIDATE,
        subject_ids=[pk for c in result.object_list for pk in (c.left_id, c.right_id)],
        changes={"status": status, "page": result.number},
    )
    return result


@dataclass(frozen=True)
class PairView:
    candidate: DuplicateCandidate
    left: Resident
    right: Resident
    links: list[tuple[str, int, int]]  # (label, rows on the left, rows on the right)
    left_masker: Masker
    right_masker: Masker

    @property
    def reasons(self) -> list[tuple[str, float]]:
        from ytcs.people.dedup.scoring import REASON_LABELS

        return [(str(REASON_LABELS.get(code, code)), points) for code, points in self.candidate.reasons]


def candidate_detail(*, context: AuditContext, pk: Any) -> PairView:
    """One pair side by side with how many linked records each side has; 404 outside the capture scope."""
    from ytcs.people.dedup.services import resident_links

    actor = context.actor
    candidate = (
        scoped_candidates(actor)
        .select_related("left__village", "left__commune", "left__household", "right__village", "right__commune",
                        "right__household")
        .filter(pk=_id(pk))
        .first()
    )
    if candidate is None:
        _refuse(context, ResourceType.DUPLICATE_CANDIDATE, DuplicateCandidate.objects, pk, "left_id", "right_id")
    links = []
    for rel in resident_links():
        manager = rel.related_model._base_manager
        on_left = manager.filter(**{rel.field.name: candidate.left}).count()
        on_right = manager.filter(**{rel.field.name: candidate.right}).count()
        if on_left or on_right:
            links.append((relation_label(f"{rel.related_model._meta.label}.{rel.field.name}"), on_left, on_right))
    audit_record(
        context=context, action=AuditAction.VIEW, resource_type=ResourceType.DUPLICATE_CANDIDATE,
        resource_id=candidate.pk, subject_ids=[candidate.left_id, candidate.right_id],
    )
    return PairView(candidate, candidate.left, candidate.right, links, masker_for(actor, candidate.left),
                    masker_for(actor, candidate.right))


def merge_log_detail(*, context: AuditContext, pk: Any) -> MergeLog:
    """One merge and what it moved; 404 unless both residents lie in the actor's capture scope."""
    log = (
        MergeLog.objects.select_related("kept__commune", "kept__village", "removed__commune", "removed__village",
                                        "actor", "undone_by")
        .filter(pk=_id(pk))
        .first()
    )
    scope = capture_scope(context.actor)
    if log is None or not all(scope.covers_place(r.commune, r.village) for r in (log.kept, log.removed)):
        _refuse(context, ResourceType.MERGE_LOG, MergeLog.objects, pk, "kept_id", "removed_id")
    audit_record(
        context=context, action=AuditAction.VIEW, resource_type=ResourceType.MERGE_LOG, resource_id=log.pk,
        subject_ids=[log.kept_id, log.removed_id],
    )
    return log


def _id(pk: Any) -> int | None:
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


def _refuse(context: AuditContext, resource_type: ResourceType, rows: QuerySet, pk: Any, *people: str) -> None:
    """404; when the pair or merge ``pk`` exists, first the ``denied`` row naming both people it is about."""
    found = rows.filter(pk=_id(pk)).values_list(*people).first() if _id(pk) is not None else None
    if found:
        audit_record(context=context, action=AuditAction.DENIED, resource_type=resource_type, resource_id=_id(pk),
                     subject_ids=list(found), outcome="denied")
    raise OutOfScope


def latest_merge_of(*, actor: User, resident: Resident) -> MergeLog | None:
    """The merge that made ``resident`` inactive, if the actor may see it (for the resident page's banner)."""
    if not resident.merged_into_id:
        return None
    log = MergeLog.objects.filter(removed=resident, undone_at__isnull=True).order_by("-created_at").first()
    scope = capture_scope(actor)
    if log and scope.covers_place(resident.commune, resident.village):
        return log
    return None
