"""Reads of the duplicate workflow: the review queue, one pair side by side, one merge. Scoped and audited.

The queue belongs to the people who can act on it: it lists a pair when *both* residents lie in the actor's
capture scope and in the records they may open, and a role that captures nowhere may not use it (403).
One pair or one merge is a read of two records: it opens when the actor may open both residents (search
scope) and answers 404 otherwise, the refusal audited naming both; deciding is the services' check. Each
side comes with the viewer's masker (``ytcs.accounts.masking``) for its identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from ytcs.accounts.masking import Masker, masker_for
from ytcs.accounts.models import User
from ytcs.accounts.scope import capture_scope, search_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.core.labels import relation_label
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate, MergeLog
from ytcs.people.models import Resident

QUEUE_PAGE_SIZE = 20


def _in_scopes(actor: User, prefix: str) -> Q:
    field = f"{prefix}__commune"
    return capture_scope(actor).q(field) & search_scope(actor).q(field)


def scoped_candidates(actor: User) -> QuerySet[DuplicateCandidate]:
    """Pairs whose two residents both lie in the actor's capture scope and among the records they may open."""
    return DuplicateCandidate.objects.filter(_in_scopes(actor, "left")).filter(_in_scopes(actor, "right"))


def duplicate_queue(*, context: AuditContext, status: str = CandidateStatus.NEW, page: int | str = 1) -> Page:
    """The actor's pairs with ``status``, highest score first; audited as a list naming both sides of each."""
    if not capture_scope(context.actor):
        raise NotAllowed
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
    may_decide: bool  # both residents in the actor's capture scope
    left_masker: Masker
    right_masker: Masker

    @property
    def reasons(self) -> list[tuple[str, float]]:
        from ytcs.people.dedup.scoring import REASON_LABELS

        return [(str(REASON_LABELS.get(code, code)), points) for code, points in self.candidate.reasons]


def _open_both(context: AuditContext, row: Any, first: Resident, second: Resident) -> None:
    """404 unless the actor may open both residents; the refusal audited on ``row``, naming both."""
    scope = search_scope(context.actor)
    if all(scope.covers_place(r.commune, r.village) for r in (first, second)):
        return
    audit_record(context=context, action=AuditAction.DENIED, resource_type=ResourceType.of(row), resource_id=row.pk,
                 subject_ids=[first.pk, second.pk], outcome="denied")
    raise OutOfScope


def may_capture_both(actor: User, first: Resident, second: Resident) -> bool:
    scope = capture_scope(actor)
    return all(scope.covers_place(r.commune, r.village) for r in (first, second))


def candidate_detail(*, context: AuditContext, pk: int) -> PairView:
    """One pair side by side with how many linked records each side has; 404 unless both may be opened."""
    from ytcs.people.dedup.services import resident_links

    candidate = (
        DuplicateCandidate.objects
        .select_related("left__village", "left__commune", "left__household", "right__village", "right__commune",
                        "right__household")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise OutOfScope
    _open_both(context, candidate, candidate.left, candidate.right)
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
    actor = context.actor
    return PairView(candidate, candidate.left, candidate.right, links,
                    may_decide=may_capture_both(actor, candidate.left, candidate.right),
                    left_masker=masker_for(actor, candidate.left), right_masker=masker_for(actor, candidate.right))


def merge_log_detail(*, context: AuditContext, pk: int) -> MergeLog:
    """One merge and what it moved; 404 unless the actor may open both residents."""
    log = (
        MergeLog.objects.select_related("kept__commune", "kept__village", "removed__commune", "removed__village",
                                        "actor", "undone_by")
        .filter(pk=pk)
        .first()
    )
    if log is None:
        raise OutOfScope
    _open_both(context, log, log.kept, log.removed)
    audit_record(
        context=context, action=AuditAction.VIEW, resource_type=ResourceType.MERGE_LOG, resource_id=log.pk,
        subject_ids=[log.kept_id, log.removed_id],
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
