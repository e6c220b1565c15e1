"""Work queues for the safeguarding lead: open concerns, and referral deadlines.

Only the safeguarding lead sees these queues, and only records the safeguarding policy lets them
read (`records_filter`): a concern's words never reach a list for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accord.deadlines.models import DeadlineStatus
from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register
from accord.safeguarding import policy
from accord.safeguarding.models import (
    ConcernStatus,
    Referral,
    ReferralStatus,
    SafeguardingConcern,
)

LEADS = frozenset({Role.SAFEGUARDING_LEAD})


def open_concerns(user: Any) -> QuerySet[SafeguardingConcern]:
    """Concerns not yet closed in the services where the user is safeguarding lead."""
    return (
        SafeguardingConcern.objects.filter(
            policy.records_filter(user),
            organisation_id__in=organisations_where(user, LEADS),
        )
        .exclude(status=ConcernStatus.CLOSED)
        .select_related("case")
        .order_by("raised_at", "id")
    )


def referral_deadlines(user: Any) -> QuerySet[Referral]:
    """Referrals with a deadline still open: a self-referral awaiting the parent's confirmation,
    or the service's own referral due because a self-referral was not confirmed in time."""
    return (
        Referral.objects.filter(
            policy.records_filter(user, "concern__case"),
            Q(status=ReferralStatus.OFFERED) | Q(escalation_deadline__status=DeadlineStatus.OPEN),
            concern__organisation_id__in=organisations_where(user, LEADS),
        )
        .select_related("concern__case", "deadline", "escalation_deadline", "parent")
        .order_by("due_at", "id")
    )


def _concern_row(concern: SafeguardingConcern) -> QueueRow:
    return QueueRow(
        label=f"Concern #{concern.pk} about {concern.get_subject_kind_display().lower()}",
        url=reverse("safeguarding:concern", args=[concern.case_id, concern.pk]),
        case=concern.case,
        detail=concern.get_status_display(),
        when=concern.raised_at,
        flag="Immediate danger" if concern.immediate_danger else "",
    )


def _referral_row(referral: Referral) -> QueueRow:
    if referral.status == ReferralStatus.OFFERED:
        parent = referral.parent.full_name if referral.parent else "the parent"
        label = f"Self-referral by {parent} to be confirmed"
        due = referral.deadline.due_at if referral.deadline else referral.due_at
    else:
        label = "The service must make the referral"
        due = referral.escalation_deadline.due_at if referral.escalation_deadline else None
    case = referral.concern.case
    return QueueRow(
        label=label,
        url=reverse("safeguarding:concern", args=[case.pk, referral.concern_id]),
        case=case,
        detail=referral.get_status_display(),
        when=due,
        flag="Overdue" if due is not None and due <= timezone.now() else "",
    )


register(
    Queue(
        code="open-safeguarding-concerns",
        title="Open safeguarding concerns",
        description="Concerns raised and not yet closed.",
        roles=LEADS,
        sources=lambda user: [open_concerns(user)],
        row=_concern_row,
        order=80,
        noun=("concern", "concerns"),
    )
)
register(
    Queue(
        code="referral-deadlines",
        title="Self-referral and referral deadlines",
        description="Self-referrals awaiting the parent's confirmation, and referrals the "
        "service must now make.",
        roles=LEADS,
        sources=lambda user: [referral_deadlines(user)],
        row=_referral_row,
        order=81,
        noun=("referral", "referrals"),
    )
)
