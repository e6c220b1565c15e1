"""Abstract base models shared by the domain apps."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created and updated moments to a model."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """The last moment each `accord worker` was alive, for /healthz and the operators."""

    worker_id = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class FormSubmission(models.Model):
    """A one-time form token (see accord.core.once), claimed by the first POST that carries it.

    The token is issued with each rendered form and only stored when it is used: the unique
    constraint is what makes a second, identical POST (a double click) a duplicate.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=500)
    done = models.BooleanField(default=False)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form sent to {self.path}"


class IdempotentRequest(models.Model):
    """The stored answer to an API write sent with an ``Idempotency-Key`` (accord.core.once)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    route = models.CharField(max_length=520)
    body_hash = models.CharField(max_length=64)
    done = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "route"], name="core_idempotent_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.route} ({self.key})"
