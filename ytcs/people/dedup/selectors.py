"""Reads of the duplicate workflow: the review queue, one pair side by side, one merge. Scoped and audited.

The queue belongs to the people who can act on it: a pair shows only when *both* residents lie in the
actor's capture scope, and anything else answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from ytcs.accounts.models import User
from ytcs.accounts.scope import OutOfScope, capture_scope
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.core.labels import relation_label
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate, MergeLog
from ytcs.people.models import Resident

QUEUE_PAGE_SIZE = 20


def _in_capture(actor: User, prefix: str) -> object:
    return capture_scope(actor).q(f"{prefix}__commune")


def scoped_candidates(actor: User) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two residents both lie in the actor's capture scope."""
    return DuplicateCandidate.objects.filter(_in_capture(actor, "left")).filter(_in_capture(actor, "right"))


def duplicate_queue(
    *, actor: User, status: str = CandidateStatus.NEW, page: int | str = 1, request: HttpRequest | None = None
) -> Page:
    """The actor's pairs with ``status``, highest score first; audited as a list naming both sides of each."""
    pairs = (
        scoped_candidates(actor)
        .filter(status=status)
        .select_related("left__village", "left__commune", "right__village", "right__commune")
        .order_by("-score", "pk")
    )
    if status == CandidateStatus.NEW:
        pairs = pairs.filter(left__merged_into__isnull=True, right__merged_into__isnull=True)
    result = Paginator(pairs, QUEUE_PAGE_SIZE).get_page(page)
    audit_record(
        actor=actor, action=AuditAction.LIST, resource_type="people.DuplicateCandidate",
        subject_ids=[pk for c in result.object_list for pk in (c.left_id, c.right_id)],
        changes={"status": status, "page": result.number}, request=request,
    )
    return result


@dataclass(frozen=True)
class PairView:
    candidate: DuplicateCandidate
    left: Resident
    right: Resident
    links: list[tuple[str, int, int]]  # (label, rows on the left, rows on the right)

    @property
    def reasons(self) -> list[tuple[str, float]]:
        from ytcs.people.dedup.scoring import REASON_LABELS

        return [(str(REASON_LABELS.get(code, code)), points) for code, points in self.candidate.reasons]


def candidate_detail(*, actor: User, pk: int, request: HttpRequest | None = None) -> PairView:
    """One pair side by side with how many linked records each side has; 404 outside the capture scope."""
    from ytcs.people.dedup.services import resident_links

    candidate = (
        scoped_candidates(actor)
        .select_related("left__village", "left__commune", "left__household", "right__village", "right__commune",
                        "right__household")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise OutOfScope
    links = []
    for rel in resident_links():
        manager = rel.related_model._base_manager
        on_left = manager.filter(**{rel.field.name: candidate.left}).count()
        on_right = manager.filter(**{rel.field.name: candidate.right}).count()
        if on_left or on_right:
            links.append((relation_label(f"{rel.related_model._meta.label}.{rel.field.name}"), on_left, on_right))
    audit_record(
        actor=actor, action=AuditAction.VIEW, resource_type="people.DuplicateCandidate", resource_id=candidate.pk,
        subject_ids=[candidate.left_id, candidate.right_id], request=request,
    )
    return PairView(candidate, candidate.left, candidate.right, links)


def merge_log_detail(*, actor: User, pk: int, request: HttpRequest | None = None) -> MergeLog:
    """One merge and what it moved; 404 unless both residents lie in the actor's capture scope."""
    log = (
        MergeLog.objects.select_related("kept__commune", "kept__village", "removed__commune", "removed__village",
                                        "actor", "undone_by")
        .filter(pk=pk)
        .first()
    )
    scope = capture_scope(actor)
    if log is None or not all(scope.covers_place(r.commune, r.village) for r in (log.kept, log.removed)):
        raise OutOfScope
    audit_record(
        actor=actor, action=AuditAction.VIEW, resource_type="people.MergeLog", resource_id=log.pk,
        subject_ids=[log.kept_id, log.removed_id], request=request,
    )
    return log


def latest_merge_of(*, actor: User, resident: Resident) -> MergeLog | None:
    """The merge that made ``resident`` inactive, if the actor may see it (for the resident page's banner)."""
    if not resident.merged_into_id:
        return None
    log = MergeLog.objects.filter(removed=resident, undone_at__isnull=True).order_by("-created_at").first()
    scope = capture_scope(actor)
    if log and scope.covers_place(resident.commune, resident.village):
        return log
    return None
