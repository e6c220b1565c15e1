"""Reads of agreement wording and signing state, each applying the case policy for its reader."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db.models import QuerySet

from accord.agreements import markup
from accord.agreements.gate import AGREEMENT, current_agreement_packet
from accord.agreements.models import (
    Agreement,
    AgreementTemplate,
    KindGroup,
    PacketStatus,
    Signature,
    SigningPacket,
)
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.organisations.selectors import is_service_admin

DEFAULT_TITLES = {
    KindGroup.FAMILY: "Agreement to Mediate",
    KindGroup.SEND: "Terms of Engagement",
    KindGroup.CIVIL: "Agreement to Mediate",
    KindGroup.WORKPLACE: "Agreement to Mediate",
}


@dataclass(frozen=True)
class Wording:
    """The wording a kind group uses now: a service's saved version, or the built-in (0)."""

    kind_group: str
    version: int
    title: str
    body: str
    row: AgreementTemplate | None = None

    @property
    def label(self) -> str:
        return KindGroup(self.kind_group).label

    @property
    def is_builtin(self) -> bool:
        return self.row is None


def builtin_wording(kind_group: str) -> Wording:
    """The default wording shipped with Accord for a kind group."""
    group = KindGroup(kind_group)
    body = (resources.files("accord.agreements") / "defaults" / f"{group.value}.txt").read_text(
        encoding="utf-8"
    )
    return Wording(
        kind_group=group.value,
        version=0,
        title=DEFAULT_TITLES[group],
        body=markup.normalise_newlines(body),
    )


def template_current(*, organisation_id: int, kind_group: str) -> Wording:
    """The service's newest saved wording for a kind group, else the built-in one."""
    row = (
        AgreementTemplate.objects.filter(organisation_id=organisation_id, kind_group=kind_group)
        .order_by("-version")
        .first()
    )
    if row is None:
        return builtin_wording(kind_group)
    return Wording(
        kind_group=kind_group, version=row.version, title=row.title, body=row.body, row=row
    )


def templates_for_admin(*, user: Any, organisation_id: int) -> list[Wording]:
    """Each kind group's current wording, for a service admin of that service only."""
    if not is_service_admin(user, organisation_id):
        raise NotFoundOrHidden("No such page.")
    return [
        template_current(organisation_id=organisation_id, kind_group=group)
        for group in KindGroup.values
    ]


def template_history(
    *, user: Any, organisation_id: int, kind_group: str
) -> QuerySet[AgreementTemplate]:
    """Every saved version of a kind group's wording, newest first; service admins only."""
    if not is_service_admin(user, organisation_id) or kind_group not in KindGroup.values:
        raise NotFoundOrHidden("No such page.")
    return AgreementTemplate.objects.filter(
        organisation_id=organisation_id, kind_group=kind_group
    ).select_related("created_by")


def template_version_get(
    *, user: Any, organisation_id: int, kind_group: str, version: int
) -> Wording:
    """One version (0 = built in) of a kind group's wording; service admins only."""
    if version == 0:
        if not is_service_admin(user, organisation_id) or kind_group not in KindGroup.values:
            raise NotFoundOrHidden("No such page.")
        return builtin_wording(kind_group)
    row = (
        template_history(user=user, organisation_id=organisation_id, kind_group=kind_group)
        .filter(version=version)
        .first()
    )
    if row is None:
        raise NotFoundOrHidden("No such version.")
    return Wording(
        kind_group=kind_group, version=row.version, title=row.title, body=row.body, row=row
    )


def template_preview(body: str, service_name: str) -> str:
    """Wording with its placeholders filled by example values, as the admin's preview shows it."""
    return markup.fill(
        body,
        {
            "service": service_name,
            "parties": "Alex Example and Sam Example",
            "case_reference": "ABC-2026-000123",
            "mediators": "Jo Mediator",
        },
    )


# Signing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerStatus:
    """One required signer and their signature, if any."""

    participant: Participant
    signature: Signature | None

    @property
    def signed(self) -> bool:
        return self.signature is not None


@dataclass(frozen=True)
class PacketState:
    """Who must sign a packet, who has, and who still has to."""

    packet: SigningPacket
    signers: list[SignerStatus]

    @property
    def everyone_signed(self) -> bool:
        return all(s.signed for s in self.signers)

    @property
    def unsigned(self) -> list[Participant]:
        return [s.participant for s in self.signers if not s.signed]

    @property
    def signed(self) -> list[SignerStatus]:
        return [s for s in self.signers if s.signed]


def packet_status(packet: SigningPacket) -> PacketState:
    """Who must sign the packet and each one's signature so far (no policy: callers check)."""
    signatures = {
        s.participant_id: s for s in packet.signatures.select_related("wet_ink_version__document")
    }
    people = packet.required.order_by("id")
    return PacketState(
        packet=packet, signers=[SignerStatus(p, signatures.get(p.pk)) for p in people]
    )


@dataclass(frozen=True)
class Verification:
    """Whether a packet's text and every signature still match the SHA-256 frozen at creation."""

    text_intact: bool
    mismatched_signature_ids: list[int]

    @property
    def ok(self) -> bool:
        return self.text_intact and not self.mismatched_signature_ids


def packet_verify(packet: SigningPacket) -> Verification:
    """Recompute the packet text's SHA-256 and compare it with the frozen one and each signature's.

    Detects a text changed after it was prepared or signed (which no service does).
    """
    fresh = SigningPacket.objects.get(pk=packet.pk)
    digest = markup.sha256_of(fresh.text)
    return Verification(
        text_intact=digest == fresh.sha256,
        mismatched_signature_ids=[
            s.pk for s in fresh.signatures.order_by("id") if s.text_sha256 != digest
        ],
    )


def packets_to_sign_for(user: Any, case: Case) -> list[SigningPacket]:
    """The open packets of the case that this portal user is asked to sign and has not."""
    if not case_policy.can(user, "view", case):
        return []
    mine = Participant.objects.filter(case=case, user_id=user.pk, portal_access=True)
    return list(
        SigningPacket.objects.filter(case=case, status=PacketStatus.OPEN, required__in=mine)
        .exclude(signatures__participant__in=mine)
        .distinct()
        .order_by("id")
    )


def packet_get_for_signer(*, user: Any, case: Case, packet_id: int) -> SigningPacket:
    """A packet of the case that this portal user is asked to sign (signed or not), else 404."""
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such document to sign.")
    packet = (
        SigningPacket.objects.filter(
            case=case,
            pk=packet_id,
            required__user_id=user.pk,
            required__portal_access=True,
        )
        .exclude(status=PacketStatus.VOID)
        .first()
    )
    if packet is None:
        raise NotFoundOrHidden("No such document to sign.")
    return packet


def own_participant(user: Any, packet: SigningPacket) -> Participant | None:
    """The signed-in user's own required place in a packet, if they have one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return packet.required.filter(user_id=user.pk, portal_access=True).order_by("id").first()


@dataclass(frozen=True)
class AgreementView:
    """The case's current Agreement to Mediate as one reader may see it."""

    agreement: Agreement | None
    state: PacketState | None
    is_staff_view: bool
    own: SignerStatus | None

    @property
    def unsigned(self) -> list[Participant]:
        return self.state.unsigned if self.state else []


def agreement_for(*, user: Any, case: Case) -> AgreementView:
    """The current agreement for a reader: staff see every signer, a party only their own line.

    Raises NotFoundOrHidden for anyone who may not see the case.
    """
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such case.")
    staff = case_policy.can(user, "view_workspace", case)
    packet = current_agreement_packet(case)
    if packet is None:
        return AgreementView(agreement=None, state=None, is_staff_view=staff, own=None)
    # Which wording version made it is for the case's staff; parties need not cost a query.
    agreement = Agreement.objects.filter(packet=packet).first() if staff else None
    state = packet_status(packet)
    own = next(
        (s for s in state.signers if s.participant.user_id == getattr(user, "pk", None)), None
    )
    return AgreementView(agreement=agreement, state=state, is_staff_view=staff, own=own)


def agreement_packets(case: Case) -> QuerySet[SigningPacket]:
    """Every agreement packet of the case, newest first, including replaced ones (staff history)."""
    return SigningPacket.objects.filter(case=case, purpose=AGREEMENT).order_by("-id")
