"""Agreement to Mediate templates, and the generic signing packets and signatures.

A `SigningPacket` is any frozen text that named participants must sign (purpose "agreement" for
the Agreement to Mediate; the outcomes app reuses it for outcome documents). Its text never
changes after it is created: a change means a new packet, and signatures never move between
texts. Each `Signature` records the SHA-256 of the exact text it was made against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel


class KindGroup(models.TextChoices):
    """The template a case kind uses: community mediation uses the civil one."""

    FAMILY = "family", "Family"
    SEND = "send", "SEND"
    CIVIL = "civil", "Civil and community"
    WORKPLACE = "workplace", "Workplace"


class AgreementTemplate(models.Model):
    """One saved version of a service's Agreement to Mediate wording for a kind group.

    Rows are never updated: every save is a new version. With no row for a kind group the
    built-in default text shipped in `accord/agreements/defaults/` is used (version 0).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind_group = models.CharField(max_length=20, choices=KindGroup.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "kind_group", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind_group", "version"],
                name="agreement_template_version_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind_group__in=KindGroup.values),
                name="agreement_template_kind_group_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="agreement_template_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement template {self.kind_group} v{self.version}"


class PacketStatus(models.TextChoices):
    """Where a signing packet has got to."""

    OPEN = "open", "Waiting for signatures"
    COMPLETE = "complete", "Signed by everyone"
    VOID = "void", "Replaced"


class SigningPacket(TimeStampedModel):
    """A frozen text that named participants of a case must sign."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40, help_text='E.g. "agreement" or "outcome".')
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The exact text signed, in Accord's simple markup.")
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=PacketStatus.choices, default=PacketStatus.OPEN
    )
    required = models.ManyToManyField("cases.Participant", related_name="+", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PacketStatus.values),
                name="signing_packet_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["case", "purpose"], name="signing_packet_case_idx")]

    def __str__(self) -> str:
        return f"Signing packet {self.pk} ({self.purpose})"

    @property
    def document_code(self) -> str:
        """The code of the case document holding this packet's PDF versions."""
        return f"signing-{self.purpose}-{self.pk}"


class SignatureMethod(models.TextChoices):
    """How a signature was given."""

    ONLINE = "online", "Signed online"
    WET_INK = "wet_ink", "Wet-ink copy uploaded"


class Signature(models.Model):
    """One participant's signature of one packet's exact text."""

    packet = models.ForeignKey(SigningPacket, on_delete=models.CASCADE, related_name="signatures")
    # RESTRICT: nobody who signed can be removed on their own, yet a whole case can be deleted.
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.RESTRICT, related_name="+"
    )
    method = models.CharField(max_length=10, choices=SignatureMethod.choices)
    typed_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    text_sha256 = models.CharField(max_length=64)
    wet_ink_version = models.ForeignKey(
        "documents.DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["packet_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "participant"], name="signature_one_per_participant"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=SignatureMethod.values),
                name="signature_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(method=SignatureMethod.ONLINE)
                | models.Q(wet_ink_version__isnull=False),
                name="signature_wet_ink_has_copy",
            ),
        ]

    def __str__(self) -> str:
        return f"Signature {self.pk} of packet {self.packet_id}"


class Agreement(models.Model):
    """A case's Agreement to Mediate: which template version made its signing packet."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    packet = models.OneToOneField(SigningPacket, on_delete=models.RESTRICT, related_name="+")
    kind_group = models.CharField(max_length=20, choices=KindGroup.choices)
    template_version = models.PositiveIntegerField(help_text="0 means the built-in wording.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind_group__in=KindGroup.values),
                name="agreement_kind_group_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.pk} of case {self.case_id}"
