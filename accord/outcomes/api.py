"""The outcomes part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer. Outcomes are for the
case's staff: a party, or anyone who may not open the case workspace, gets 404. Issuing needs
`confirm: true`, as the confirmation page does; an issued outcome is corrected by a new version.
Answers carry status and versions, never the wording.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import selectors as case_selectors
from accord.cases.models import Case
from accord.core.errors import ValidationFailed
from accord.outcomes import content, selectors, services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus

router = Router(tags=["outcomes"])

#: A numbered row of an MoU (agreed items) or a settlement (terms), as the edit page names them.
_ROW_FIELD = re.compile(
    r"^(item_\d{1,3}_(title|wording)|term_\d{1,3}_(description|amount|due_date|who))$"
)

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


class OutcomeCreateIn(InputSchema):
    """Which written outcome to start (pre-filled from the agreed agenda items)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        ..., description="mou, parenting_plan, settlement or written_agreement (by case kind)."
    )


class OutcomeEditIn(InputSchema):
    """Edited sections of a draft, keyed as the edit page's fields.

    Text sections by their key (for example `introduction`); agreed items as `item_<n>_title`
    and `item_<n>_wording`; terms as `term_<n>_description`, `_amount`, `_due_date`, `_who`.
    Fields not sent keep their current text; an unknown field is refused.
    """

    model_config = ConfigDict(extra="forbid")

    fields: dict[str, MultilineText] = Field(..., max_length=400)


class OutcomeShareIn(InputSchema):
    """Who to share an issued outcome with."""

    model_config = ConfigDict(extra="forbid")

    participant_ids: list[ObjectId] = Field(..., min_length=1, max_length=50)


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


@router.post(
    "/cases/{case_id}/outcomes",
    response=responses(201, OutcomeOut, 403, 404, 422),
    summary="Start a written outcome",
)
def outcome_create(request: HttpRequest, case_id: ObjectId, payload: OutcomeCreateIn) -> Any:
    """A case mediator starts a draft of a kind the case may have (422 naming the kinds)."""
    user = request.auth  # type: ignore[attr-defined]
    draft = services.outcome_draft_create(actor=user, case=_case(user, case_id), kind=payload.kind)
    return Status(201, _out(draft))


@router.patch(
    "/cases/{case_id}/outcomes/{outcome_id}",
    response=responses(200, OutcomeOut, 403, 404, 422),
    summary="Edit a draft written outcome",
)
def outcome_edit(
    request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId, payload: OutcomeEditIn
) -> OutcomeOut:
    """A case mediator saves the draft's sections; only while it is a draft."""
    user = request.auth  # type: ignore[attr-defined]
    draft = _outcome(user, case_id, outcome_id)
    known = {key for key, _, _ in content.TEXT_SECTIONS[draft.kind]}
    unknown = sorted(
        key for key in payload.fields if key not in known and not _ROW_FIELD.match(key)
    )
    if unknown:
        raise ValidationFailed(
            "The outcome could not be saved.",
            field_errors={
                key: [f"This {draft.get_kind_display()} has no such part."] for key in unknown
            },
        )
    fields = {**content.as_fields(draft.kind, draft.sections), **payload.fields}
    return _out(services.outcome_draft_update(actor=user, draft=draft, fields=fields))


def _step(name: str, summary: str, doc: str) -> None:
    """One workflow step: POST .../outcomes/{id}/<name>, calling one service with the draft."""
    service = {
        "submit": services.outcome_submit_for_approval,
        "approve": services.outcome_approve,
        "return-to-draft": services.outcome_return_to_draft,
        "withdraw": services.outcome_withdraw,
    }[name]

    def endpoint(request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId) -> OutcomeOut:
        user = request.auth  # type: ignore[attr-defined]
        return _out(service(actor=user, draft=_outcome(user, case_id, outcome_id)))

    endpoint.__doc__ = doc
    endpoint.__name__ = "outcome_" + name.replace("-", "_")
    router.post(
        f"/cases/{{case_id}}/outcomes/{{outcome_id}}/{name}",
        response=responses(200, OutcomeOut, 403, 404, 422),
        summary=summary,
        operation_id=f"accord_outcomes_api_outcome_{name.replace('-', '_')}",
    )(endpoint)


_step("submit", "Send a draft for approval", "A case mediator sends a complete draft.")
_step("approve", "Approve a draft", "The case's supervisor approves a draft awaiting approval.")
_step(
    "return-to-draft",
    "Take an outcome back to draft",
    "A case mediator takes back an outcome awaiting approval or approved; approval lapses.",
)
_step(
    "withdraw",
    "Withdraw an outcome not yet issued",
    "A case mediator abandons an outcome not yet issued.",
)


@router.post(
    "/cases/{case_id}/outcomes/{outcome_id}/share",
    response=responses(200, OutcomeOut, 403, 404, 422),
    summary="Share an issued outcome with participants",
)
def outcome_share(
    request: HttpRequest, case_id: ObjectId, outcome_id: ObjectId, payload: OutcomeShareIn
) -> OutcomeOut:
    """A case mediator shares the issued document; each person then sees it in the portal."""
    user = request.auth  # type: ignore[attr-defined]
    draft = _outcome(user, case_id, outcome_id)
    people = list(draft.case.participants.filter(pk__in=payload.participant_ids))
    if len(people) != len(set(payload.participant_ids)):
        raise ValidationFailed(
            "The outcome could not be shared.",
            field_errors={"participant_ids": ["Choose participants of this case only."]},
        )
    return _out(services.outcome_share(actor=user, draft=draft, participants=people))
