"""Work queue of complaints: open complaints for the service's admins and supervisors, soonest
target first (never one about the reader themself)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.complaints.models import Complaint
from accord.complaints.policy import HANDLERS
from accord.complaints.selectors import open_complaints_due
from accord.queues.registry import Queue, QueueRow, register


def _row(complaint: Complaint) -> QueueRow:
    acknowledging = complaint.acknowledged_on is None
    due = complaint.acknowledge_due if acknowledging else complaint.respond_due
    return QueueRow(
        label=f"{'Acknowledge' if acknowledging else 'Respond to'} the complaint from "
        f"{complaint.complainant_name}",
        url=reverse("complaints:detail", args=[complaint.pk]),
        when=due,
        flag="Overdue" if due <= timezone.now() else "",
    )


register(
    Queue(
        code="complaints-open",
        title="Complaints to acknowledge or respond to",
        description="Open complaints, with the service's targets (10 and 30 working days).",
        roles=HANDLERS,
        sources=lambda user: [open_complaints_due(user=user)],
        row=_row,
        order=80,
        noun=("complaint", "complaints"),
    )
)
