"""What a party is told in the portal: when the service will answer their own requests and
complaints. The team's side is in the work queues (complaints and requests are the service's,
not the case's, so they are never case next steps the mediator would see)."""

from __future__ import annotations

from accord.cases.models import Case, Participant
from accord.cases.progress import PartyAction, register_party_actions, when_in_words
from accord.complaints.models import Complaint
from accord.records import part  # noqa: F401  (the part must exist first)
from accord.records.models import RequestStatus, SubjectAccessRequest


def records_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The party's own open subject-access request and complaint, with the date due."""
    actions: list[PartyAction] = []
    sar = (
        SubjectAccessRequest.objects.filter(participant=participant, status=RequestStatus.OPEN)
        .order_by("due_at")
        .first()
    )
    if sar is not None:
        actions.append(
            PartyAction(
                f"The service will send you a copy of your data by {when_in_words(sar.due_at)}.",
                "records",
            )
        )
    complaint = (
        Complaint.objects.filter(complainant=participant, responded_on__isnull=True)
        .order_by("respond_due")
        .first()
    )
    if complaint is not None:
        actions.append(
            PartyAction(
                "The service will respond to your complaint by "
                f"{when_in_words(complaint.respond_due)}.",
                "records",
            )
        )
    return actions


register_party_actions("records", records_actions)
