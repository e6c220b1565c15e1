"""The safeguarding part of the HTTP API (mounted by ``accord.api.api``).

Safeguarding records answer only their restricted audience: the case's mediators, its supervisor
and the service's safeguarding leads (`policy.can_read_records`). Everyone else, a party, the
coordinator or another mediator, gets 404 and cannot learn that a record exists. Any member of
staff on the case may raise a concern; a raiser outside the audience gets a confirmation, never the
record. Decisions that steer the mediation (threshold, self-referral offer, resume or end) belong
to the case's mediators (403 for the rest of the audience). Every write is the service the pages
call.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime, ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases.models import Case
from accord.core.errors import ValidationFailed
from accord.safeguarding import policy, selectors, services
from accord.safeguarding.models import (
    CaseHold,
    Disclosure,
    Referral,
    SafeguardingConcern,
    ThresholdDecision,
)

router = Router(tags=["safeguarding"])

#: Database ids: positive and within a 64-bit integer, so nonsense ids fail validation cleanly.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Input ---------------------------------------------------------------------------------


class ConcernRaiseIn(InputSchema):
    """A safeguarding concern: what is alleged, about whom, by whom, and any action taken now."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(
        ..., description="When it came to light: screening, session or other.", examples=["session"]
    )
    allegation: MultilineText = Field(..., max_length=10000, description="What is alleged.")
    subject_kind: str = Field(
        ..., description="Whether the person at risk is a child or an adult.", examples=["child"]
    )
    subject_name: str = Field(..., max_length=200, description="The person at risk.")
    alleged_by: str = Field(
        ..., max_length=200, examples=["Alice Smith, at her MIAM"], description="Who alleged it."
    )
    alleged_against: str = Field("", max_length=200)
    immediate_danger: bool = Field(
        False, description="True needs `action_taken` (what was done there and then)."
    )
    action_taken: MultilineText = Field(
        "", max_length=10000, examples=["Police called at 14:05, incident 123"]
    )


class ThresholdDecisionIn(InputSchema):
    """The case mediator's decision, made with the supervisor or a safeguarding lead."""

    model_config = ConfigDict(extra="forbid")

    consulted_id: ObjectId = Field(
        ..., description="The user consulted: the case's supervisor or a safeguarding lead."
    )
    threshold_met: bool = Field(..., description="Whether the significant-harm threshold is met.")
    referral_needed: bool = Field(
        ..., description="Whether a referral is needed (always, when the threshold is met)."
    )
    reasons: MultilineText = Field(..., max_length=10000)
    decided_at: AwareDatetime | None = Field(
        None, description="When it was decided (not in the future); now if omitted."
    )


class SelfReferralOfferIn(InputSchema):
    """Offer a parent on the case the chance to refer themselves to children's services."""

    model_config = ConfigDict(extra="forbid")

    parent_id: ObjectId = Field(..., description="A participant of the case who is a parent.")


class SelfReferralConfirmIn(InputSchema):
    """The parent's own referral, as they reported it."""

    model_config = ConfigDict(extra="forbid")

    agency: str = Field(..., max_length=200, examples=["Leeds Children's Social Care"])
    area: str = Field(..., max_length=200, description="The local authority area of the child.")
    referred_on: dt.date = Field(..., description="The day the parent referred.")
    reference: str = Field("", max_length=100)
    referred_by_name: str = Field("", max_length=200)
    information_shared: MultilineText = Field(..., max_length=10000)


class ReferralRecordIn(InputSchema):
    """The service's own referral to children's services (also logged as a disclosure)."""

    model_config = ConfigDict(extra="forbid")

    agency: str = Field(..., max_length=200, examples=["Leeds Children's Social Care"])
    area: str = Field(..., max_length=200, description="The local authority area of the child.")
    referred_at: AwareDatetime = Field(..., description="When the referral was made.")
    reference: str = Field("", max_length=100)
    referred_by_name: str = Field(..., max_length=200)
    contact_name: str = Field(..., max_length=200, description="Whom the service spoke to.")
    information_shared: MultilineText = Field(..., max_length=10000)


class DisclosureRecordIn(InputSchema):
    """One disclosure of information outside the mediation, with its legal basis."""

    model_config = ConfigDict(extra="forbid")

    concern_id: ObjectId | None = Field(None, description="The concern it relates to, if any.")
    legal_basis: str = Field(
        ...,
        description="child_at_risk, adult_at_risk, money_laundering or court_order.",
        examples=["child_at_risk"],
    )
    information_shared: MultilineText = Field(..., max_length=10000)
    recipient_name: str = Field(..., max_length=200)
    recipient_organisation: str = Field(..., max_length=200)
    disclosed_at: AwareDatetime = Field(..., description="When it was disclosed.")


class InvestigationOpenIn(InputSchema):
    """An investigation is open: the mediation pauses until a decision lifts the pause."""

    model_config = ConfigDict(extra="forbid")

    investigating_agency: str = Field(..., max_length=200, examples=["West Yorkshire Police"])
    investigation_reference: str = Field("", max_length=100)
    reasons: MultilineText = Field(..., max_length=10000)


class HoldDecisionIn(InputSchema):
    """Lift the safeguarding pause: resume the mediation, or end it (which closes the case)."""

    model_config = ConfigDict(extra="forbid")

    decision: str = Field(..., description="resume or end.", examples=["resume"])
    reasons: MultilineText = Field(..., max_length=10000)


class ConcernCloseIn(InputSchema):
    """Why the service has nothing further to do about a concern."""

    model_config = ConfigDict(extra="forbid")

    reason: MultilineText = Field(..., max_length=10000)


# --- Output --------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return str(user.full_name or user.email) if user is not None else None


class ConcernOut(Schema):
    """A safeguarding concern (restricted audience only)."""

    id: int
    case_id: int
    raised_by: str | None
    raised_at: dt.datetime
    source: str
    source_label: str
    allegation: str
    subject_kind: str
    subject_name: str
    alleged_by: str
    alleged_against: str
    immediate_danger: bool
    action_taken: str
    status: str = Field(description="open, under_investigation or closed.")
    status_label: str
    closed_at: dt.datetime | None
    closed_reason: str


class ThresholdDecisionOut(Schema):
    """A threshold decision on a concern."""

    id: int
    decided_by: str | None
    consulted: str | None
    consulted_role: str
    threshold_met: bool
    referral_needed: bool
    reasons: str
    decided_at: dt.datetime


class ReferralOut(Schema):
    """A referral to children's services: a parent's self-referral or the service's own."""

    id: int
    concern_id: int
    made_by: str = Field(description="parent or service.")
    parent_id: int | None
    status: str = Field(description="offered, confirmed, not_confirmed or made.")
    agency: str
    area: str
    referred_on: dt.date | None
    reference: str
    referred_by_name: str
    information_shared: str
    offered_at: dt.datetime | None
    due_at: dt.datetime | None = Field(description="When a self-referral must be confirmed by.")
    recorded_at: dt.datetime | None


class DisclosureOut(Schema):
    """One disclosure of information outside the mediation."""

    id: int
    concern_id: int | None
    referral_id: int | None
    legal_basis: str
    legal_basis_label: str
    information_shared: str
    recipient_name: str
    recipient_organisation: str
    disclosed_at: dt.datetime
    recorded_by: str | None


class HoldOut(Schema):
    """A pause of the mediation while an investigation is open, and what lifted it."""

    id: int
    concern_id: int
    investigating_agency: str
    investigation_reference: str
    reasons: str
    paused_by: str | None
    paused_at: dt.datetime
    decision: str = Field(description="resume, end, or empty while the pause is in force.")
    decision_reasons: str
    decided_by: str | None
    decided_at: dt.datetime | None


class ConcernDetailOut(ConcernOut):
    """A concern with its decisions, referrals, disclosures and pauses."""

    threshold_decisions: list[ThresholdDecisionOut]
    referrals: list[ReferralOut]
    disclosures: list[DisclosureOut]
    holds: list[HoldOut]
    can_decide: bool = Field(description="Whether the caller is one of the case's mediators.")


class SafeguardingOut(Schema):
    """A case's safeguarding record."""

    case_id: int
    paused: bool = Field(description="Whether the mediation is paused for an investigation.")
    can_decide: bool = Field(description="Whether the caller is one of the case's mediators.")
    concerns: list[ConcernOut]
    holds: list[HoldOut]
    disclosures: list[DisclosureOut]


class ConcernRaisedOut(Schema):
    """A concern just raised. `concern` is null for a raiser outside the restricted audience:
    the record is theirs to raise, not to read."""

    recorded: bool
    message: str
    concern: ConcernDetailOut | None


def _concern_fields(concern: SafeguardingConcern) -> dict[str, Any]:
    return {
        "id": concern.pk,
        "case_id": concern.case_id,
        "raised_by": _name(concern.raised_by),
        "raised_at": concern.raised_at,
        "source": concern.source,
        "source_label": concern.get_source_display(),
        "allegation": concern.allegation,
        "subject_kind": concern.subject_kind,
        "subject_name": concern.subject_name,
        "alleged_by": concern.alleged_by,
        "alleged_against": concern.alleged_against,
        "immediate_danger": concern.immediate_danger,
        "action_taken": concern.action_taken,
        "status": concern.status,
        "status_label": concern.get_status_display(),
        "closed_at": concern.closed_at,
        "closed_reason": concern.closed_reason,
    }


def _decision_out(decision: ThresholdDecision) -> ThresholdDecisionOut:
    return ThresholdDecisionOut(
        id=decision.pk,
        decided_by=_name(decision.decided_by),
        consulted=_name(decision.consulted),
        consulted_role=decision.consulted_role,
        threshold_met=decision.threshold_met,
        referral_needed=decision.referral_needed,
        reasons=decision.reasons,
        decided_at=decision.decided_at,
    )


def _referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        concern_id=referral.concern_id,
        made_by=referral.made_by,
        parent_id=referral.parent_id,
        status=referral.status,
        agency=referral.agency,
        area=referral.area,
        referred_on=referral.referred_on,
        reference=referral.reference,
        referred_by_name=referral.referred_by_name,
        information_shared=referral.information_shared,
        offered_at=referral.offered_at,
        due_at=referral.due_at,
        recorded_at=referral.recorded_at,
    )


def _disclosure_out(disclosure: Disclosure) -> DisclosureOut:
    return DisclosureOut(
        id=disclosure.pk,
        concern_id=disclosure.concern_id,
        referral_id=disclosure.referral_id,
        legal_basis=disclosure.legal_basis,
        legal_basis_label=disclosure.get_legal_basis_display(),
        information_shared=disclosure.information_shared,
        recipient_name=disclosure.recipient_name,
        recipient_organisation=disclosure.recipient_organisation,
        disclosed_at=disclosure.disclosed_at,
        recorded_by=_name(disclosure.recorded_by),
    )


def _hold_out(hold: CaseHold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        concern_id=hold.concern_id,
        investigating_agency=hold.investigating_agency,
        investigation_reference=hold.investigation_reference,
        reasons=hold.reasons,
        paused_by=_name(hold.paused_by),
        paused_at=hold.paused_at,
        decision=hold.decision,
        decision_reasons=hold.decision_reasons,
        decided_by=_name(hold.decided_by),
        decided_at=hold.decided_at,
    )


def _detail(user: Any, case: Case, concern_id: int) -> ConcernDetailOut:
    """The concern read back through the selector, as the caller may see it."""
    concern = selectors.concern_get_for(user=user, case=case, concern_id=concern_id)
    return ConcernDetailOut(
        **_concern_fields(concern),
        threshold_decisions=[_decision_out(d) for d in concern.threshold_decisions.all()],
        referrals=[_referral_out(r) for r in concern.referrals.all()],
        disclosures=[_disclosure_out(d) for d in concern.disclosures.all()],
        holds=[_hold_out(h) for h in concern.holds.all()],
        can_decide=policy.can_decide(user, case),
    )


def _record(user: Any, case: Case) -> SafeguardingOut:
    return SafeguardingOut(
        case_id=case.pk,
        paused=selectors.open_hold(user=user, case=case) is not None,
        can_decide=policy.can_decide(user, case),
        concerns=[
            ConcernOut(**_concern_fields(c)) for c in selectors.concern_list(user=user, case=case)
        ],
        holds=[_hold_out(h) for h in selectors.hold_list(user=user, case=case)],
        disclosures=[_disclosure_out(d) for d in selectors.disclosure_list(user=user, case=case)],
    )


def _concern_for(user: Any, case_id: int, concern_id: int) -> tuple[Case, SafeguardingConcern]:
    case = selectors.records_case_get_for(user=user, case_id=case_id)
    return case, selectors.concern_get_for(user=user, case=case, concern_id=concern_id)


# --- Reads ---------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/safeguarding",
    response=responses(200, SafeguardingOut, 404, 422),
    summary="Read a case's safeguarding record",
)
def safeguarding_get(request: HttpRequest, case_id: ObjectId) -> SafeguardingOut:
    """The case's concerns (newest first), its pauses and its disclosure log. Only the case's
    mediators, its supervisor and the service's safeguarding leads; everyone else gets 404."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.records_case_get_for(user=user, case_id=case_id)
    return _record(user, case)


@router.get(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}",
    response=responses(200, ConcernDetailOut, 404, 422),
    summary="Read one safeguarding concern",
)
def concern_get(request: HttpRequest, case_id: ObjectId, concern_id: ObjectId) -> Any:
    """A concern with its threshold decisions, referrals, disclosures and pauses (restricted
    audience only; 404 for everyone else)."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    return _detail(user, case, concern.pk)


# --- Writes --------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/safeguarding/concerns",
    response=responses(201, ConcernRaisedOut, 404, 422),
    summary="Raise a safeguarding concern",
)
def concern_raise(request: HttpRequest, case_id: ObjectId, payload: ConcernRaiseIn) -> Any:
    """Any member of staff who can open the case's workspace may raise a concern; the restricted
    audience is told at once. A raiser outside that audience gets `concern: null`."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.raising_case_get_for(user=user, case_id=case_id)
    concern = services.concern_raise(actor=user, case=case, **payload.model_dump())
    readable = policy.can_read_records(user, case)
    return Status(
        201,
        ConcernRaisedOut(
            recorded=True,
            message=(
                "The safeguarding concern has been recorded."
                if readable
                else "The concern has been recorded and the case's safeguarding audience told."
            ),
            concern=_detail(user, case, concern.pk) if readable else None,
        ),
    )


@router.post(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}/threshold-decisions",
    response=responses(201, ConcernDetailOut, 403, 404, 422),
    summary="Record the threshold decision on a concern",
)
def threshold_decide(
    request: HttpRequest, case_id: ObjectId, concern_id: ObjectId, payload: ThresholdDecisionIn
) -> Any:
    """The case's lead or co-mediator, having consulted the supervisor or a safeguarding lead
    (named by `consulted_id`), records whether the significant-harm threshold is met."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    consulted = get_user_model().objects.filter(pk=payload.consulted_id).first()
    services.threshold_decide(
        actor=user,
        concern=concern,
        consulted=consulted,
        threshold_met=payload.threshold_met,
        referral_needed=payload.referral_needed,
        reasons=payload.reasons,
        decided_at=payload.decided_at,
    )
    return Status(201, _detail(user, case, concern.pk))


@router.post(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}/self-referrals",
    response=responses(201, ConcernDetailOut, 403, 404, 422),
    summary="Offer a parent a self-referral",
)
def self_referral_offer(
    request: HttpRequest, case_id: ObjectId, concern_id: ObjectId, payload: SelfReferralOfferIn
) -> Any:
    """The case's mediator offers a parent on the case the chance to refer themselves; a
    restricted deadline starts the clock for their confirmation."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    parent = selectors.parents_on_case(case=case).filter(pk=payload.parent_id).first()
    if parent is None:
        raise ValidationFailed(
            "The self-referral could not be offered.",
            field_errors={"parent_id": ["Choose a parent or carer on this case."]},
        )
    services.self_referral_offer(actor=user, concern=concern, parent=parent)
    return Status(201, _detail(user, case, concern.pk))


@router.post(
    "/cases/{case_id}/safeguarding/referrals/{referral_id}/confirm",
    response=responses(200, ConcernDetailOut, 403, 404, 422),
    summary="Record a parent's own referral",
)
def self_referral_confirm(
    request: HttpRequest, case_id: ObjectId, referral_id: ObjectId, payload: SelfReferralConfirmIn
) -> Any:
    """Record the self-referral the parent reported making; answers with the concern."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.records_case_get_for(user=user, case_id=case_id)
    referral = selectors.referral_get_for(user=user, case=case, referral_id=referral_id)
    services.self_referral_confirm(actor=user, referral=referral, **payload.model_dump())
    return _detail(user, case, referral.concern_id)


@router.post(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}/referrals",
    response=responses(201, ConcernDetailOut, 403, 404, 422),
    summary="Record the service's referral to children's services",
)
def referral_record(
    request: HttpRequest, case_id: ObjectId, concern_id: ObjectId, payload: ReferralRecordIn
) -> Any:
    """The service's own referral; it is also logged as a disclosure."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    services.referral_record(actor=user, concern=concern, **payload.model_dump())
    return Status(201, _detail(user, case, concern.pk))


@router.post(
    "/cases/{case_id}/safeguarding/disclosures",
    response=responses(201, DisclosureOut, 403, 404, 422),
    summary="Log a disclosure outside the mediation",
)
def disclosure_record(request: HttpRequest, case_id: ObjectId, payload: DisclosureRecordIn) -> Any:
    """Information shared outside the mediation, with its legal basis, optionally under one of
    the case's concerns."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.records_case_get_for(user=user, case_id=case_id)
    data = payload.model_dump()
    concern_id = data.pop("concern_id")
    concern = None
    if concern_id is not None:
        concern = selectors.concern_list(user=user, case=case).filter(pk=concern_id).first()
        if concern is None:
            raise ValidationFailed(
                "The disclosure could not be logged.",
                field_errors={"concern_id": ["Choose one of this case's concerns."]},
            )
    disclosure = services.disclosure_record(actor=user, case=case, concern=concern, **data)
    fresh = selectors.disclosure_list(user=user, case=case).get(pk=disclosure.pk)
    return Status(201, _disclosure_out(fresh))


@router.post(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}/investigation",
    response=responses(201, ConcernDetailOut, 403, 404, 422),
    summary="Record an open investigation (pauses the mediation)",
)
def investigation_open(
    request: HttpRequest, case_id: ObjectId, concern_id: ObjectId, payload: InvestigationOpenIn
) -> Any:
    """An agency has opened an investigation: the mediation pauses until the case's mediator
    decides to resume or end it."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    services.investigation_open(actor=user, concern=concern, **payload.model_dump())
    return Status(201, _detail(user, case, concern.pk))


@router.post(
    "/cases/{case_id}/safeguarding/pause/decision",
    response=responses(200, SafeguardingOut, 403, 404, 422),
    summary="Resume or end a paused mediation",
)
def hold_decide(request: HttpRequest, case_id: ObjectId, payload: HoldDecisionIn) -> Any:
    """The case's mediator lifts the safeguarding pause: `resume` the mediation, or `end` it
    (the case closes). 422 if the case is not paused."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.records_case_get_for(user=user, case_id=case_id)
    services.mediation_resume_or_end(
        actor=user, case=case, decision=payload.decision, reasons=payload.reasons
    )
    return _record(user, selectors.records_case_get_for(user=user, case_id=case_id))


@router.post(
    "/cases/{case_id}/safeguarding/concerns/{concern_id}/close",
    response=responses(200, ConcernDetailOut, 403, 404, 422),
    summary="Close a safeguarding concern",
)
def concern_close(
    request: HttpRequest, case_id: ObjectId, concern_id: ObjectId, payload: ConcernCloseIn
) -> Any:
    """The service has nothing further to do about the concern; the reason is kept."""
    user = request.auth  # type: ignore[attr-defined]
    case, concern = _concern_for(user, case_id, concern_id)
    services.concern_close(actor=user, concern=concern, reason=payload.reason)
    return _detail(user, case, concern.pk)
