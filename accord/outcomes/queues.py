"""Work queues of written outcomes: drafts to finish, and outcomes awaiting approval."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accord.cases import policy as case_policy
from accord.organisations.models import MediatorProfile, Role
from accord.outcomes.models import OutcomeDraft, OutcomeStatus
from accord.queues.registry import Queue, QueueRow, organisations_where, register

MEDIATORS = frozenset({Role.MEDIATOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})


def drafts_to_finish(user: Any) -> QuerySet[OutcomeDraft]:
    """Outcome drafts on open cases where the user is lead or co-mediator."""
    pk = getattr(user, "pk", None)
    cases = (
        (Q(lead_mediator_id=pk) | Q(co_mediator_id=pk))
        & Q(organisation_id__in=organisations_where(user, MEDIATORS))
        & ~Q(stage="closed")
        & case_policy.case_filter(user, "view_workspace")
    )
    return (
        OutcomeDraft.objects.filter(case_policy.through("case", cases), status=OutcomeStatus.DRAFT)
        .select_related("case", "drafted_by")
        .order_by("updated_at", "id")
    )


def outcomes_awaiting_approval(user: Any) -> QuerySet[OutcomeDraft]:
    """Outcomes awaiting approval that the user may approve, oldest first.

    The same rule as `outcomes.services.may_approve`: the case's supervisor or the drafter's
    own supervisor (PPC), never the drafter, and only on cases the user may open.
    """
    pk = getattr(user, "pk", None)
    cases = Q(organisation_id__in=organisations_where(user, SUPERVISORS)) & case_policy.case_filter(
        user, "view_workspace"
    )
    supervises_drafter = MediatorProfile.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        user_id=OuterRef("drafted_by_id"),
        supervisor_id=pk,
    )
    return (
        OutcomeDraft.objects.filter(
            Q(case__supervisor_id=pk) | Exists(supervises_drafter),
            case_policy.through("case", cases),
            status=OutcomeStatus.AWAITING_APPROVAL,
        )
        .exclude(drafted_by_id=pk)
        .select_related("case", "drafted_by")
        .order_by("updated_at", "id")
    )


def _outcome_row(draft: OutcomeDraft) -> QueueRow:
    return QueueRow(
        label=draft.get_kind_display(),
        url=reverse("outcomes:detail", args=[draft.case_id, draft.pk]),
        case=draft.case,
        detail=f"Drafted by {draft.drafted_by.full_name}",
        when=draft.updated_at,
    )


register(
    Queue(
        code="drafts-to-finish",
        title="Written outcomes to finish",
        description="Drafts on your cases not yet sent for approval or issued.",
        roles=MEDIATORS,
        sources=lambda user: [drafts_to_finish(user)],
        row=_outcome_row,
        order=62,
        noun=("draft", "drafts"),
    )
)
register(
    Queue(
        code="outcomes-awaiting-approval",
        title="Outcomes awaiting approval",
        description="Written outcomes by mediators you supervise, waiting for your approval.",
        roles=SUPERVISORS,
        sources=lambda user: [outcomes_awaiting_approval(user)],
        row=_outcome_row,
        order=70,
        noun=("outcome", "outcomes"),
    )
)
