"""Who still has to sign the Agreement to Mediate: the gate every session start goes through.

Contract (used by accord.mediation before a session may start):
- `unsigned_required(case)` lists the participants who must sign the case's current Agreement to
  Mediate and have not (online or by an uploaded wet-ink copy), in a stable order.
- `ensure_agreement_signed(case)` raises `ValidationFailed` naming them when that list is not empty.

A case with no Agreement to Mediate yet (or whose only one was replaced) has every party-role
participant unsigned: no session can start without an agreement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.core.errors import ValidationFailed

if TYPE_CHECKING:
    from accord.agreements.models import SigningPacket
    from accord.cases.models import Case, Participant

AGREEMENT = "agreement"


def current_agreement_packet(case: Case) -> SigningPacket | None:
    """The signing packet of the case's current (not replaced) Agreement to Mediate, if any."""
    from accord.agreements.models import PacketStatus, SigningPacket

    return (
        SigningPacket.objects.filter(case_id=case.pk, purpose=AGREEMENT)
        .exclude(status=PacketStatus.VOID)
        .order_by("-id")
        .first()
    )


def unsigned_required(case: Case) -> list[Participant]:
    """The participants who must sign the case's Agreement to Mediate and have not yet."""
    from accord.cases.models import PARTY_ROLES, Participant

    packet = current_agreement_packet(case)
    if packet is None:
        return list(
            Participant.objects.filter(case_id=case.pk, role__in=PARTY_ROLES).order_by("id")
        )
    return list(
        packet.required.exclude(pk__in=packet.signatures.values("participant_id")).order_by("id")
    )


def ensure_agreement_signed(case: Case) -> None:
    """Refuse to go on while anyone required has not signed the Agreement to Mediate."""
    missing = unsigned_required(case)
    if not missing:
        return
    names = ", ".join(p.full_name for p in missing)
    if current_agreement_packet(case) is None:
        message = (
            "There is no Agreement to Mediate on this case yet; "
            f"it must be signed first by: {names}."
        )
    else:
        message = f"The Agreement to Mediate has still to be signed by: {names}."
    raise ValidationFailed(message, field_errors={"__all__": [message]})
