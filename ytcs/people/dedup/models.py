"""Review queue of likely duplicate registrations, and the log that makes a merge reversible."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    NEW = "new", _("Chờ xem xét")
    MERGED = "merged", _("Đã gộp")
    NOT_DUPLICATE = "not_duplicate", _("Không trùng")


class CandidateLevel(models.TextChoices):
    LIKELY = "likely", _("Rất có thể trùng")
    POSSIBLE = "possible", _("Có thể trùng")


class DuplicateCandidate(models.Model):
    """A pair of residents the detector thinks may be one person; ``left`` has the smaller id.

    ``commune`` is the left resident's commune when the pair was scored: the review queue is scoped on it
    (and on the right resident's commune), so a pair straddling two communes shows to both stations.
    A pair is also written, already decided ``not_duplicate`` with the user's ``decision_note``, when a
    registration was saved as "another person" after its likely duplicates were shown
    (``dedup.registration``), so the scan never proposes it again.
    """

    left = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField(_("điểm"))
    level = models.CharField(_("mức"), max_length=10, choices=CandidateLevel.choices)
    reasons = models.JSONField(_("lý do"), default=list, help_text="[[code, points], …] from dedup.scoring")
    status = models.CharField(_("trạng thái"), max_length=16, choices=CandidateStatus.choices,
                              default=CandidateStatus.NEW)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("lý do của quyết định"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cặp nghi trùng")
        verbose_name_plural = _("cặp nghi trùng")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_candidate_pair_unique"),
            models.CheckConstraint(condition=Q(left__lt=F("right")), name="duplicate_candidate_left_lt_right"),
        ]
        indexes = [models.Index(fields=["commune", "status", "-score"], name="duplicate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id} ({self.score:.1f})"


class MergeLog(models.Model):
    """Exactly what one merge changed, so ``resident_merge_undo`` can put it back.

    ``moved`` maps ``app_label.Model.field`` to the primary keys of the rows re-pointed from ``removed`` to
    ``kept``; ``left_behind`` the rows that could not move (a one-to-one the kept resident already has, or a
    uniqueness rule) and so stay with the inactive record. ``filled`` maps each field of ``kept`` that was
    empty and took ``removed``'s value to ``[old, new]``; ``removed_values`` keeps ``removed``'s own fields
    that the merge changed (identifiers handed over to ``kept``).
    """

    kept = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    removed = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="merges")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    left_behind = models.JSONField(default=dict)
    filled = models.JSONField(default=dict)
    removed_values = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("lần gộp hồ sơ")
        verbose_name_plural = _("lần gộp hồ sơ")
        indexes = [models.Index(fields=["removed", "-created_at"], name="merge_log_removed_idx")]

    def __str__(self) -> str:
        return f"{self.removed_id} → {self.kept_id}"
