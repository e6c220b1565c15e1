"""What a party is told in the portal: when the service will answer their own requests and
complaints. The team's side is in the work queues (complaints and requests are the service's,
not the case's, so they are never case next steps the mediator would see)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from accord.cases.models import Case, Participant
from accord.cases.progress import PartyAction, register_party_actions, when_in_words
from accord.complaints.models import Complaint
from accord.records import part  # noqa: F401  (the part must exist first)
from accord.records.models import RequestStatus, SubjectAccessRequest


def records_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The party's own open subject-access request and complaint, with the date due."""
    # One query for both, so that the portal's pages keep their query budget.
    row: Any = (
        Participant.objects.filter(pk=participant.pk)
        .annotate(
            sar_due=Subquery(
                SubjectAccessRequest.objects.filter(
                    participant_id=OuterRef("pk"), status=RequestStatus.OPEN
                )
                .order_by("due_at")
                .values("due_at")[:1]
            ),
            complaint_due=Subquery(
                Complaint.objects.filter(complainant_id=OuterRef("pk"), responded_on__isnull=True)
                .order_by("respond_due")
                .values("respond_due")[:1]
            ),
        )
        .values("sar_due", "complaint_due")
        .first()
    ) or {}
    actions: list[PartyAction] = []
    if row.get("sar_due") is not None:
        actions.append(
            PartyAction(
                "The service will send you a copy of your data by "
                f"{when_in_words(row['sar_due'])}.",
                "records",
            )
        )
    if row.get("complaint_due") is not None:
        actions.append(
            PartyAction(
                "The service will respond to your complaint by "
                f"{when_in_words(row['complaint_due'])}.",
                "records",
            )
        )
    return actions


register_party_actions("records", records_actions)
