"""The append-only, hash-chained audit trail of every state change."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


class Visibility(models.TextChoices):
    """Who may read an event on a case timeline."""

    CASE = "case", "Everyone who may see the case"
    RESTRICTED = "restricted", "Safeguarding only"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk writes: events are only ever appended one at a time by `audit_record`."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events are append-only and cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("Audit events are append-only and cannot be changed.")

    def bulk_create(
        self,
        objs: Iterable[Any],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[Any]:
        raise AppendOnlyError("Audit events are added only through audit_record().")


class AuditChainHead(models.Model):
    """The latest event of one organisation's chain; locked while an event is appended."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="audit_head"
    )
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"{self.organisation_id}: #{self.last_sequence}"


class AuditEvent(models.Model):
    """One recorded state change: who did what to which object, when, and from which request."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="audit_events"
    )
    sequence = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="audit_events",
        db_constraint=False,
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.CASE
    )
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["organisation_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sequence"], name="audit_event_unique_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="audit_event_visibility_valid",
            ),
        ]
        indexes = [models.Index(fields=["case", "sequence"], name="audit_case_seq_idx")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")
