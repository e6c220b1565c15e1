"""Work queues of data-protection requests: subject access (one month) and erasure, for admins."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register
from accord.records.models import ErasureRequest, RequestStatus, SubjectAccessRequest

ADMINS = frozenset({Role.SERVICE_ADMIN})


def subject_access_due(user: Any) -> QuerySet[SubjectAccessRequest]:
    return (
        SubjectAccessRequest.objects.filter(
            organisation_id__in=organisations_where(user, ADMINS), status=RequestStatus.OPEN
        )
        .select_related("participant")
        .order_by("due_at", "id")
    )


def erasure_waiting(user: Any) -> QuerySet[ErasureRequest]:
    return (
        ErasureRequest.objects.filter(
            organisation_id__in=organisations_where(user, ADMINS), status=RequestStatus.OPEN
        )
        .select_related("participant")
        .order_by("received_on", "id")
    )


def _sar_row(sar: SubjectAccessRequest) -> QueueRow:
    return QueueRow(
        label=f"Answer the subject-access request from {sar.participant.full_name}",
        url=reverse("records:sar_detail", args=[sar.pk]),
        when=sar.due_at,
        flag="Overdue" if sar.due_at <= timezone.now() else "",
    )


def _erasure_row(request: ErasureRequest) -> QueueRow:
    return QueueRow(
        label=f"Review the erasure request from {request.participant.full_name}",
        url=reverse("records:erasure_review", args=[request.pk]),
        when=request.received_on,
    )


register(
    Queue(
        code="subject-access-due",
        title="Subject-access requests to answer",
        description="Each is due one month after it was received.",
        roles=ADMINS,
        sources=lambda user: [subject_access_due(user)],
        row=_sar_row,
        order=81,
        noun=("request", "requests"),
    )
)
register(
    Queue(
        code="erasure-requests",
        title="Erasure requests to review",
        roles=ADMINS,
        sources=lambda user: [erasure_waiting(user)],
        row=_erasure_row,
        order=82,
        noun=("request", "requests"),
    )
)
