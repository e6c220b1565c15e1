"""Where a case is and what a party must do, from the case's records, for the portal.

The facts here say only that something happened (the invitation was answered, your MIAM was
held), never what anyone else said; the words for them are in `accord.portal.stages`.
"""

from __future__ import annotations

from accord.cases.models import Case, Participant
from accord.cases.progress import PartyAction, part_applies, party_actions


def portal_facts(case: Case, mine: list[Participant]) -> list[str]:
    """What has happened on the case that changes how its stage reads to this person, in order of
    precedence (the first that has words for the stage wins)."""
    from accord.agreements.gate import current_agreement_packet
    from accord.documents.models import DocumentShare
    from accord.mediation.models import MediationSession, SessionStatus
    from accord.meetings.models import Miam, MiamStatus
    from accord.outcomes.models import OutcomeDraft, OutcomeStatus
    from accord.willingness.models import InvitationStatus, WillingnessInvitation

    facts: list[str] = []
    invitations = WillingnessInvitation.objects.filter(case=case).order_by("-sent_at", "-id")
    if part_applies(case, "willingness"):
        if invitations.filter(participant__in=mine, status=InvitationStatus.INVITED).exists():
            facts.append("you_are_invited")
        latest = invitations.first()
        if latest is not None and latest.status != InvitationStatus.INVITED:
            facts.append("answered")
    if part_applies(case, "miam"):
        own_miams = Miam.objects.filter(case=case, attendees__in=mine)
        if own_miams.filter(status=MiamStatus.HELD).exists():
            facts.append("your_miam_held")
        elif own_miams.filter(status=MiamStatus.BOOKED).exists():
            facts.append("your_miam_booked")
    packet = current_agreement_packet(case)
    if packet is not None and packet.signatures.filter(participant__in=mine).exists():
        facts.append("you_signed")
    if MediationSession.objects.filter(case=case, status=SessionStatus.BOOKED).exists():
        facts.append("session_booked")
    issued = OutcomeDraft.objects.filter(case=case, status=OutcomeStatus.ISSUED).values(
        "issued_version_id"
    )
    if DocumentShare.objects.filter(participant__in=mine, version_id__in=issued).exists():
        facts.append("outcome_shared")
    return facts


def actions_for(case: Case, mine: list[Participant]) -> list[PartyAction]:
    """Everything this person must do on the case, across their own participations."""
    actions: list[PartyAction] = []
    for participant in mine:
        for action in party_actions(case, participant):
            if action not in actions:
                actions.append(action)
    return actions


def other_party_answer_line(case: Case, mine: list[Participant]) -> str:
    """For the person who asked for mediation: whether the invited other party has answered yet.

    Says only answered or not: never what they answered, nor their reasons.
    """
    from accord.willingness.models import InvitationStatus, WillingnessInvitation

    if not mine or not part_applies(case, "willingness"):
        return ""
    latest = (
        WillingnessInvitation.objects.filter(case=case)
        .exclude(participant__in=mine)
        .exclude(status=InvitationStatus.WITHDRAWN)
        .order_by("-sent_at", "-id")
        .only("answered_at", "status")
        .first()
    )
    if latest is None:
        return ""
    if latest.answered_at is not None:
        return "The other person has answered the service's invitation to consider mediation."
    return "The service has invited the other person; they have not answered yet."
