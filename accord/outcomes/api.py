"""The outcomes part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer. Outcomes are for the
case's staff: a party, or anyone who may not open the case workspace, gets 404. Issuing needs
`confirm: true`, as the confirmation page does; an issued outcome is corrected by a new version.
Answers carry status and versions, never the wording.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import selectors as case_selectors
from accord.cases.models import Case
from accord.outcomes import selectors, services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus

router = Router(tags=["outcomes"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class IssueIn(InputSchema):
    """The issuer's confirmation: issued documents cannot be changed, only corrected."""

    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(
        ...,
        description=(
            "Must be true: issued documents cannot be changed, only corrected by a new version."
        ),
    )


class CorrectionIn(InputSchema):
    """Why an issued outcome is being corrected by a new version."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(
        ...,
        max_length=services.REASON_LIMIT,
        description="Shown with the old version to everyone it was shared with.",
    )


class OutcomeOut(Schema):
    """One version of a written outcome: where it stands, never its wording."""

    id: int
    case_id: int
    kind: str = Field(..., description="mou, parenting_plan, settlement or written_agreement.")
    status: str = Field(
        ..., description="draft, awaiting_approval, approved, issued, superseded or withdrawn."
    )
    version_number: int
    previous_id: int | None = Field(None, description="The issued version this one corrects.")
    correction_reason: str | None = None
    superseded_by_id: int | None = Field(None, description="The version that replaced this one.")
    superseded_at: dt.datetime | None = None
    issued_at: dt.datetime | None = None
    document_version_id: int | None = Field(
        None, description="The issued PDF, downloaded from the site at /documents/{id}/download/."
    )
    signing_packet_id: int | None = None


def _out(draft: OutcomeDraft) -> OutcomeOut:
    after = None
    if draft.status == OutcomeStatus.SUPERSEDED:
        after = draft.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
    return OutcomeOut(
        id=draft.pk,
        case_id=draft.case_id,
        kind=draft.kind,
        status=draft.status,
        version_number=draft.version_number,
        previous_id=draft.previous_id,
        correction_reason=draft.correction_reason or None,
        superseded_by_id=after.pk if after else None,
        superseded_at=draft.superseded_at,
        issued_at=draft.issued_at,
        document_version_id=draft.issued_version_id,
        signing_packet_id=draft.signing_packet_id,
    )


def _case(user: Any, case_id: int) -> Case:
    return case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")


def _outcome(user: Any, case_id: int, outcome_id: int) -> OutcomeDraft:
    return selectors.outcome_get_for(user=user, case=_case(user, case_id), outcome_id=outcome_id)


@router.get(
    "/cases/{case_id}/outcomes",
    response=responses(200, list[OutcomeOut], 404, 422),
    summary="Written outcomes of a case",
)
def outcome_list(request: HttpRequest, case_id: ObjectId) -> list[OutcomeOut]:
    """Every version of every written outcome of the case, newest first (case staff only)."""
    user = request.auth  # type: ignore[attr-defined]
    return [_out(d) for d in selectors.outcomes_for(user=user, case=_case(user, case_id))]


@router.get(
    "/cases/{case_id}/outcomes/{outcome_id}",
    response=responses(200, OutcomeOut, 404, 422),
    summary="One written outcome",
)
def outcome_detail(request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId) -> OutcomeOut:
    """One version of a written outcome, with what it corrects or what superseded it."""
    return _out(_outcome(request.auth, case_id, outcome_id))  # type: ignore[attr-defined]


@router.post(
    "/cases/{case_id}/outcomes/{outcome_id}/issue",
    response=responses(200, OutcomeOut, 400, 404, 422),
    summary="Issue a written outcome (needs confirm: true)",
)
def outcome_issue(
    request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId, payload: IssueIn
) -> OutcomeOut:
    """A case mediator issues the outcome as a PDF; `confirm` must be true.

    Approval comes first unless drafter and issuer are accredited. Issuing a correction marks
    the version it corrects superseded, shares the new one with that version's recipients and
    tells them.
    """
    user = request.auth  # type: ignore[attr-defined]
    draft = _outcome(user, case_id, outcome_id)
    return _out(services.outcome_issue(actor=user, draft=draft, confirm=payload.confirm))


@router.post(
    "/cases/{case_id}/outcomes/{outcome_id}/corrections",
    response=responses(201, OutcomeOut, 400, 404, 422),
    summary="Start correcting an issued outcome",
)
def outcome_correction_start(
    request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId, payload: CorrectionIn
) -> Any:
    """A case mediator starts a new draft version of an issued outcome, with the reason."""
    user = request.auth  # type: ignore[attr-defined]
    draft = _outcome(user, case_id, outcome_id)
    correction = services.outcome_correction_start(actor=user, draft=draft, reason=payload.reason)
    return Status(201, _out(correction))
