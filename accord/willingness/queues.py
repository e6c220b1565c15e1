"""Work queues from invitations: those still awaiting an answer, and those that lapsed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accord.cases import policy as case_policy
from accord.organisations.models import Role
from accord.queues.registry import Queue, QueueRow, organisations_where, register
from accord.willingness.models import InvitationStatus, WillingnessInvitation

COORDINATORS = frozenset({Role.COORDINATOR})


def _current_invitations(user: Any, status: str) -> QuerySet[WillingnessInvitation]:
    """Each person's latest invitation in this status, on open cases the user coordinates."""
    cases = (
        Q(organisation_id__in=organisations_where(user, COORDINATORS))
        & ~Q(stage="closed")
        & case_policy.case_filter(user, "view_workspace")
    )
    return (
        WillingnessInvitation.objects.filter(
            case_policy.through("case", cases), status=status, superseded_by__isnull=True
        )
        .select_related("case", "participant")
        .order_by("respond_by", "id")
    )


def invitations_awaiting_answer(user: Any) -> QuerySet[WillingnessInvitation]:
    """Invitations the other party has not answered yet, those due soonest first."""
    return _current_invitations(user, InvitationStatus.INVITED)


def invitations_lapsed(user: Any) -> QuerySet[WillingnessInvitation]:
    """Invitations that lapsed without an answer and have not been sent again."""
    return _current_invitations(user, InvitationStatus.LAPSED)


def _invitation_row(invitation: WillingnessInvitation) -> QueueRow:
    overdue = (
        invitation.status == InvitationStatus.INVITED
        and invitation.respond_by < timezone.localdate()
    )
    return QueueRow(
        label=invitation.participant.full_name,
        url=reverse("cases:detail", args=[invitation.case_id]) + "#willingness-heading",
        case=invitation.case,
        detail=f"{invitation.get_channel_display()} sent "
        f"{timezone.localtime(invitation.sent_at):%-d %b %Y}; "
        f"answer asked for by {invitation.respond_by:%-d %b %Y}",
        when=invitation.respond_by,
        flag="Past its answer date" if overdue else "",
    )


register(
    Queue(
        code="invitations-awaiting-answer",
        title="Invitations awaiting an answer",
        description="The other party has not yet said whether they will attend a MIAM.",
        roles=COORDINATORS,
        sources=lambda user: [invitations_awaiting_answer(user)],
        row=_invitation_row,
        order=20,
        noun=("invitation", "invitations"),
    )
)
register(
    Queue(
        code="invitations-lapsed",
        title="Invitations that lapsed without an answer",
        description="Try another way to reach them, invite them again, or let the case go on.",
        roles=COORDINATORS,
        sources=lambda user: [invitations_lapsed(user)],
        row=_invitation_row,
        order=21,
        noun=("invitation", "invitations"),
    )
)
