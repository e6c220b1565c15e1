"""The Agreement to Mediate in "what is next": prepare it, chase signatures; parties sign."""

from __future__ import annotations

from django.urls import reverse

from accord.agreements.gate import current_agreement_packet
from accord.agreements.models import PacketStatus, SigningPacket
from accord.agreements.selectors import packet_status
from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
)


def _ready_for_agreement(case: Case) -> bool:
    """Whether the case has got to the point where the Agreement to Mediate is signed."""
    from accord.meetings.models import SuitabilityDecision, SuitabilityRoute

    workflow = case.workflow
    if workflow.has_stage("agreement"):
        if reached(case, "agreement"):
            return True
        return SuitabilityDecision.objects.filter(
            case=case, route__in=[SuitabilityRoute.JOINT, SuitabilityRoute.SHUTTLE]
        ).exists()
    # SEND: once the meeting is being arranged.
    return reached(case, "arranging")


def agreement_steps(case: Case) -> list[NextStep]:
    """Prepare and send the Agreement to Mediate, then chase whoever has not signed."""
    if not _ready_for_agreement(case) or reached(case, "outcome"):
        return []
    packet = current_agreement_packet(case)
    if packet is None:
        return [
            NextStep(
                "Prepare the Agreement to Mediate and send it to the parties to sign.",
                "agreement",
                reverse("agreements:prepare", kwargs={"case_pk": case.pk}),
            )
        ]
    unsigned = packet_status(packet).unsigned
    if not unsigned:
        return []
    names = ", ".join(p.full_name for p in unsigned)
    return [
        NextStep(
            f"Waiting for {names} to sign the Agreement to Mediate: chase, or record a "
            "wet-ink signature.",
            "agreement",
            reverse("agreements:detail", kwargs={"case_pk": case.pk}),
        )
    ]


def signing_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """Every open document this party is asked to sign and has not (the agreement, an outcome)."""
    packets = (
        SigningPacket.objects.filter(case=case, status=PacketStatus.OPEN, required=participant)
        .exclude(signatures__participant=participant)
        .distinct()
        .order_by("id")
    )
    return [
        PartyAction(
            f"Sign the {packet.title}.",
            "agreement",
            reverse("agreements:portal_sign", kwargs={"case_pk": case.pk, "packet_pk": packet.pk}),
        )
        for packet in packets
    ]


register_next_steps("agreement", agreement_steps)
register_party_actions("agreement", signing_actions)
