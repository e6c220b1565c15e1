"""Work queues from enquiries: new enquiries for coordinators to check for conflicts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.intake.models import Enquiry, Urgency
from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register

COORDINATORS = frozenset({Role.COORDINATOR})


def enquiries_awaiting_conflict_check(user: Any) -> QuerySet[Enquiry]:
    """Enquiries on open cases with no conflict decision yet, oldest first, in the user's
    services where they coordinate."""
    cases = (
        Q(
            organisation_id__in=organisations_where(user, COORDINATORS),
            kind__in=kinds.kinds_with("conflict_check"),
        )
        & ~Q(stage="closed")
        & case_policy.case_filter(user, "view_workspace")
    )
    return (
        Enquiry.objects.filter(case_policy.through("case", cases), conflict_decision="")
        .select_related("case")
        .order_by("submitted_at", "id")
    )


def _enquiry_row(enquiry: Enquiry) -> QueueRow:
    return QueueRow(
        label="Check for conflicts",
        url=reverse("intake:conflict_decision", args=[enquiry.case_id]),
        case=enquiry.case,
        detail=f"{enquiry.get_source_display()} enquiry, urgency: "
        f"{enquiry.get_urgency_display().lower()}",
        when=enquiry.submitted_at,
        flag="Urgent" if enquiry.urgency == Urgency.URGENT else "",
    )


register(
    Queue(
        code="enquiries-awaiting-conflict-check",
        title="New enquiries awaiting the conflict check",
        description="Decide whether the service can act before anyone is contacted.",
        roles=COORDINATORS,
        sources=lambda user: [enquiries_awaiting_conflict_check(user)],
        row=_enquiry_row,
        order=10,
        noun=("enquiry", "enquiries"),
    )
)
