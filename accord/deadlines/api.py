"""The deadlines part of the HTTP API (mounted by ``accord.api.api``).

Staff see the deadlines their policy allows (restricted ones only for the restricted audience)
and resolve those they may resolve; a party sees only the deadlines shared with them, with no
owner, note or reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.deadlines import policy, selectors, services
from accord.deadlines.models import Deadline

router = Router(tags=["deadlines"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class DeadlineMeetIn(InputSchema):
    """That what a deadline asked for was done, with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: MultilineText = Field("", max_length=2000)


class DeadlineReasonIn(InputSchema):
    """Why a deadline is waived or escalated now."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., min_length=1, max_length=2000)


class DeadlineOut(Schema):
    """A deadline. For a party: only title, due time and status (staff fields are null)."""

    id: int
    case_id: int
    title: str
    due_at: dt.datetime
    status: str
    status_label: str
    rule_code: str | None = Field(None, description="Staff only.")
    owner: str | None = Field(None, description="Staff only.")
    resolved_at: dt.datetime | None = Field(None, description="Staff only.")
    resolution_note: str | None = Field(None, description="Staff only.")
    waived_reason: str | None = Field(None, description="Staff only.")
    shared_with_parties: bool | None = Field(None, description="Staff only.")
    can_resolve: bool = Field(False, description="Whether the caller may meet, waive or escalate.")


def _staff_out(deadline: Deadline, can_resolve: bool) -> DeadlineOut:
    owner = deadline.owner
    return DeadlineOut(
        id=deadline.pk,
        case_id=deadline.case_id,
        title=deadline.title,
        due_at=deadline.due_at,
        status=deadline.status,
        status_label=deadline.get_status_display(),
        rule_code=deadline.rule_code,
        owner=str(owner.full_name or owner.email) if owner else None,
        resolved_at=deadline.resolved_at,
        resolution_note=deadline.resolution_note,
        waived_reason=deadline.waived_reason,
        shared_with_parties=deadline.visible_to_participants,
        can_resolve=can_resolve,
    )


def _party_out(deadline: Deadline) -> DeadlineOut:
    return DeadlineOut(
        id=deadline.pk,
        case_id=deadline.case_id,
        title=deadline.title,
        due_at=deadline.due_at,
        status=deadline.status,
        status_label=deadline.get_status_display(),
        rule_code=None,
        owner=None,
        resolved_at=None,
        resolution_note=None,
        waived_reason=None,
        shared_with_parties=None,
        can_resolve=False,
    )


@router.get(
    "/cases/{case_id}/deadlines",
    response=responses(200, list[DeadlineOut], 404, 422),
    summary="List a case's deadlines",
)
def deadline_list(request: HttpRequest, case_id: ObjectId) -> list[DeadlineOut]:
    """Staff: every deadline on the case their policy allows, open first. A party: only those
    shared with them."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    if case_policy.can(user, "view_workspace", case):
        return [
            _staff_out(r.deadline, r.can_resolve) for r in selectors.deadlines_for_case(user, case)
        ]
    return [_party_out(d) for d in selectors.deadlines_for_participant(user, case)]


def _resolved(user: Any, deadline: Deadline) -> DeadlineOut:
    fresh = selectors.deadline_get_for(user=user, deadline_id=deadline.pk)
    return _staff_out(fresh, fresh.is_open and policy.can_resolve(user, fresh))


@router.post(
    "/deadlines/{deadline_id}/met",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Record that a deadline was met",
)
def deadline_meet(request: HttpRequest, deadline_id: ObjectId, payload: DeadlineMeetIn) -> Any:
    """Staff who may resolve the deadline (its owner, the case team, coordinators)."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(user, services.deadline_meet(actor=user, deadline=deadline, note=payload.note))


@router.post(
    "/deadlines/{deadline_id}/waive",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Waive a deadline, with the reason",
)
def deadline_waive(request: HttpRequest, deadline_id: ObjectId, payload: DeadlineReasonIn) -> Any:
    """Staff who may resolve the deadline; the reason is kept for the staff."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(
        user, services.deadline_waive(actor=user, deadline=deadline, reason=payload.reason)
    )


@router.post(
    "/deadlines/{deadline_id}/escalate",
    response=responses(200, DeadlineOut, 403, 404, 422),
    summary="Escalate a deadline now, with the reason",
)
def deadline_escalate(
    request: HttpRequest, deadline_id: ObjectId, payload: DeadlineReasonIn
) -> Any:
    """Staff who may resolve the deadline; the escalation recipients are told at once."""
    user = request.auth  # type: ignore[attr-defined]
    deadline = selectors.deadline_get_for(user=user, deadline_id=deadline_id)
    return _resolved(
        user, services.deadline_escalate_now(actor=user, deadline=deadline, reason=payload.reason)
    )
