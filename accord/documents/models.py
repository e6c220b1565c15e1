"""Document templates, the documents made from them, their immutable versions and shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


class ImmutableVersionError(RuntimeError):
    """Raised when code tries to change or delete a written document version."""


class TemplateKind(models.TextChoices):
    """What a template produces."""

    HTML = "html", "PDF (from HTML)"
    DOCX = "docx", "Word document (editable)"


class DocumentTemplate(TimeStampedModel):
    """A versioned template; no organisation means a built-in template every service may use."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_templates",
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=TemplateKind.choices)
    version = models.PositiveIntegerField(default=1)
    body = models.TextField(blank=True, help_text="Django template source, for HTML templates.")
    file = models.FileField(upload_to="document-templates/", blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"],
                name="document_template_version_unique",
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(organisation__isnull=True),
                name="document_template_builtin_version_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=TemplateKind.values), name="document_template_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Document(TimeStampedModel):
    """One document of a case (a letter, a certificate), made of one or more versions."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="documents"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    code = models.SlugField(max_length=80, help_text="The kind of document, e.g. miam-certificate.")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="document_code_unique_in_case")
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersionQuerySet(models.QuerySet["DocumentVersion"]):
    """Refuses bulk changes: a written version is evidence and never changes."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableVersionError("Document versions cannot be changed once written.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableVersionError("Document versions cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise ImmutableVersionError("Document versions cannot be changed once written.")


class DocumentVersion(models.Model):
    """One produced file of a document: its bytes, their SHA-256 and how it was made."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    template_code = models.SlugField(max_length=80)
    template_version = models.PositiveIntegerField()
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    produced_at = models.DateTimeField()
    content = models.FileField(max_length=300)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            )
        ]
        ordering = ["document_id", "-number"]

    def __str__(self) -> str:
        return f"{self.file_name} (version {self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableVersionError("Document versions cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersionError("Document versions cannot be deleted.")


class DocumentShare(models.Model):
    """A version shared with one participant, and when they first opened it."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="shares")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="document_shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField()
    first_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant"], name="document_share_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} shared with participant {self.participant_id}"
