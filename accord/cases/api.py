"""The cases and participants part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer; the policy lives
in ``accord.cases.policy`` and is applied by the selectors and services, so the API can show
no more than the pages do. Output schemas are built field by field from what the caller may
see: hidden values are blank or null, never present.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from accord.api.schemas import InputSchema, MultilineText, SearchText, responses
from accord.cases import kinds, paging, policy, progress, selectors, services
from accord.cases.models import ALL_STAGE_CODES, Case, CaseKind, Participant
from accord.cases.paging import COUNT_CAP, SEARCH_COUNT_CAP
from accord.cases.selectors import CaseFilters, ParticipantView
from accord.cases.workflows import Stage
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed

router = Router(tags=["cases"])

#: Database ids: positive and within a 64-bit integer, so nonsense ids fail validation cleanly.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]

PAUSED_HELP = "Paused for a safeguarding investigation. Staff only; null for participants."

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25


# --- Input ---------------------------------------------------------------------------------


class CaseOpenIn(InputSchema):
    """A case to open by hand (enquiries open theirs themselves), in its kind's first stage."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., description="A kind of case the service offers, e.g. family_children.")
    title: str = Field(..., min_length=1, max_length=200)
    summary: MultilineText = Field("", max_length=5000)
    lead_mediator_id: ObjectId | None = None
    co_mediator_id: ObjectId | None = None
    supervisor_id: ObjectId | None = None


class CaseDetailsIn(InputSchema):
    """A case's title and summary; fields not sent keep their value."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: MultilineText | None = Field(None, max_length=5000)


class CaseTeamIn(InputSchema):
    """The whole case team (null leaves a place empty)."""

    model_config = ConfigDict(extra="forbid")

    lead_mediator_id: ObjectId | None = None
    co_mediator_id: ObjectId | None = None
    supervisor_id: ObjectId | None = None


class CaseListQuery(InputSchema):
    """Filters and paging for the case list."""

    q: SearchText = Field(
        "", max_length=200, description="Search reference, title or (staff) names."
    )
    kind: CaseKind | None = Field(None, description="Only cases of this kind.")
    stage: str | None = Field(
        None, description=f"Only cases at this stage: one of {', '.join(ALL_STAGE_CODES)}."
    )
    mine: bool = Field(False, description="Only cases on which the caller is in the case team.")
    include_closed: bool = Field(True, description="Include closed cases.")
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
    offset: int = Field(
        0,
        ge=0,
        le=2**31 - 1,
        description="Number of cases to skip. Slow far into a long list: prefer `cursor`.",
    )
    cursor: str = Field(
        "",
        max_length=500,
        description=(
            "Where the next page starts: the `next_cursor` of the page before, with the same "
            "filters. It costs the same at any depth. A changed cursor is refused (422)."
        ),
    )

    @field_validator("kind", "stage", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # An empty form field means "no filter", not "a kind called ''".
        return None if value == "" else value

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, value: str | None) -> str | None:
        if value is not None and value not in ALL_STAGE_CODES:
            raise PydanticCustomError(
                "stage_unknown",
                "Choose a stage from: {choices}.",
                {"choices": ", ".join(ALL_STAGE_CODES)},
            )
        return value


class StageChangeIn(InputSchema):
    """A request to move a case to another stage of its workflow."""

    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(..., max_length=20, description="Code of the stage to move to.")
    reason: MultilineText = Field("", description="Why the case is moving; required.")


class ParticipantIn(InputSchema):
    """A new participant of a case."""

    model_config = ConfigDict(extra="forbid")

    role: str
    full_name: str
    organisation_name: str = ""
    email: str = ""
    phone: str = ""
    address: MultilineText = ""
    date_of_birth: dt.date | None = None
    confidential_address: bool = False
    safe_contact_methods: list[str] = Field(default_factory=list)
    safe_contact_notes: MultilineText = ""


class ParticipantPatch(InputSchema):
    """Changes to a participant: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    role: str = ""
    full_name: str = ""
    organisation_name: str = ""
    email: str = ""
    phone: str = ""
    address: MultilineText = ""
    date_of_birth: dt.date | None = None
    confidential_address: bool = False
    safe_contact_methods: list[str] = Field(default_factory=list)
    safe_contact_notes: MultilineText = ""


# --- Output --------------------------------------------------------------------------------


class StageOut(Schema):
    """One stage of a workflow."""

    code: str
    label: str


class PartOut(Schema):
    """A part of Accord that applies to the case's kind (MIAMs, sessions, rooms...)."""

    code: str
    label: str


class NextStepOut(Schema):
    """Something the case team should do next, worked out from the case's records."""

    text: str
    part: str
    urgent: bool


class PartyActionOut(Schema):
    """Something the calling party must do, in plain words."""

    text: str
    part: str


class CaseTeamOut(Schema):
    """Names of the case team; the supervisor is shown to staff only."""

    lead_mediator: str | None
    co_mediator: str | None
    supervisor: str | None


class CaseSummaryOut(Schema):
    """A case as it appears in a list."""

    id: int
    reference: str
    kind: str
    kind_label: str
    stage: str
    stage_label: str
    title: str
    lead_mediator: str | None
    opened_at: dt.datetime
    is_paused: bool | None = Field(description=PAUSED_HELP)
    is_closed: bool


class CaseListOut(Schema):
    """One page of cases, the number that match (up to a cap) and the cursor of the next page."""

    count: int = Field(
        description=(
            f"Cases that match, counted up to {COUNT_CAP} ({SEARCH_COUNT_CAP} with `q`: "
            "a search asks for a narrower search past that)."
        )
    )
    count_capped: bool = Field(
        description=(
            f"More cases match than were counted ({COUNT_CAP}, or {SEARCH_COUNT_CAP} with `q`)."
        )
    )
    limit: int
    offset: int
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    items: list[CaseSummaryOut]


class CaseDetailOut(Schema):
    """One case as the caller may see it."""

    id: int
    reference: str
    service: str
    kind: str
    kind_label: str
    stage: str
    stage_label: str
    next_step: str = Field(
        description=(
            "For the case team, the first of next_steps; for participants, what usually happens "
            "at this stage."
        )
    )
    parts: list[PartOut] = Field(
        description=(
            "The parts of Accord that apply to this kind of case; participants are not told of "
            "the case team's own parts (screening, suitability, safeguarding and the like)."
        )
    )
    next_steps: list[NextStepOut] | None = Field(
        description="Staff only (null for participants): what to do next, urgent first."
    )
    actions: list[PartyActionOut] = Field(
        description="What the calling participant must do; empty for staff."
    )
    title: str
    summary: str | None = Field(description="Staff only; null for participants.")
    team: CaseTeamOut
    opened_at: dt.datetime
    stage_changed_at: dt.datetime
    closed_at: dt.datetime | None
    is_paused: bool | None = Field(description=PAUSED_HELP)
    is_closed: bool
    can_move_stage: bool
    allowed_next_stages: list[StageOut] = Field(
        description="Stages the caller may move the case to; empty if they may not move it."
    )


class ParticipantOut(Schema):
    """A participant as the caller may see them: withheld values are blank or null."""

    id: int
    case_id: int
    role: str
    role_label: str
    full_name: str
    organisation_name: str
    contact_visible: bool = Field(description="False when contact details are withheld.")
    email: str
    phone: str
    address: str
    address_withheld: bool
    confidential_address: bool
    date_of_birth: dt.date | None
    safe_contact_methods: list[str]
    safe_contact_notes: str
    has_portal_access: bool | None = Field(description="Staff only; null for participants.")


# --- Shaping -------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return user.get_full_name() if user is not None else None


def _stage(stage: Stage) -> StageOut:
    return StageOut(code=stage.code, label=stage.label)


def case_summary_out(user: Any, case: Case) -> CaseSummaryOut:
    """The list view of a case; whether it is paused is for staff only."""
    # A pause reveals an open safeguarding investigation, which parties must never learn of.
    is_staff_view = policy.can(user, "view_workspace", case)
    return CaseSummaryOut(
        id=case.pk,
        reference=case.reference,
        kind=case.kind,
        kind_label=case.get_kind_display(),
        stage=case.stage,
        stage_label=case.stage_label,
        title=case.title,
        lead_mediator=_name(case.lead_mediator),
        opened_at=case.opened_at,
        is_paused=case.is_paused if is_staff_view else None,
        is_closed=case.is_closed,
    )


def case_detail_out(user: Any, case: Case) -> CaseDetailOut:
    """The detail view of a case, with staff-only fields left out for participants."""
    is_staff_view = policy.can(user, "view_workspace", case)
    can_move = policy.can(user, "move_stage", case)
    steps = progress.next_steps(case, user=user) if is_staff_view else None
    actions: list[PartyActionOut] = []
    if not is_staff_view:
        own = Participant.objects.filter(case=case, user=user, portal_access=True).first()
        if own is not None:
            actions = [
                PartyActionOut(text=a.text, part=a.part) for a in progress.party_actions(case, own)
            ]
    return CaseDetailOut(
        id=case.pk,
        reference=case.reference,
        service=case.organisation.name,
        kind=case.kind,
        kind_label=case.get_kind_display(),
        stage=case.stage,
        stage_label=case.stage_label,
        next_step=steps[0].text if steps else case.next_step,
        parts=[
            PartOut(code=p.code, label=p.label)
            for p in (
                kinds.parts_for(case.kind) if is_staff_view else kinds.parts_for_party(case.kind)
            )
        ],
        next_steps=(
            [NextStepOut(text=s.text, part=s.part, urgent=s.urgent) for s in steps]
            if steps is not None
            else None
        ),
        actions=actions,
        title=case.title,
        summary=case.summary if is_staff_view else None,
        team=CaseTeamOut(
            lead_mediator=_name(case.lead_mediator),
            co_mediator=_name(case.co_mediator),
            supervisor=_name(case.supervisor) if is_staff_view else None,
        ),
        opened_at=case.opened_at,
        stage_changed_at=case.stage_changed_at,
        closed_at=case.closed_at,
        is_paused=case.is_paused if is_staff_view else None,
        is_closed=case.is_closed,
        can_move_stage=can_move,
        allowed_next_stages=(
            [_stage(s) for s in case.workflow.allowed_from(case.stage)] if can_move else []
        ),
    )


def participant_out(view: ParticipantView, *, is_staff_view: bool) -> ParticipantOut:
    """A participant from the selector's view, which has already blanked what is hidden."""
    return ParticipantOut(
        id=view.id,
        case_id=view.participant.case_id,
        role=view.role,
        role_label=view.role_label,
        full_name=view.full_name,
        organisation_name=view.organisation_name,
        contact_visible=view.show_contact,
        email=view.email,
        phone=view.phone,
        address=view.address,
        address_withheld=view.address_withheld,
        confidential_address=view.confidential_address,
        date_of_birth=view.participant.date_of_birth if view.show_contact else None,
        safe_contact_methods=view.safe_contact_methods,
        safe_contact_notes=view.safe_contact_notes,
        has_portal_access=view.has_portal_access if is_staff_view else None,
    )


def _participant_as_seen(user: Any, case: Case, participant_id: int) -> ParticipantOut:
    """One participant of a case, shaped through the same selector as the list."""
    is_staff_view = policy.can(user, "view_workspace", case)
    for view in selectors.participant_views(user=user, case=case):
        if view.id == participant_id:
            return participant_out(view, is_staff_view=is_staff_view)
    raise NotFoundOrHidden("No such participant.")


# --- Endpoints -----------------------------------------------------------------------------


@router.get("/cases", response=responses(200, CaseListOut, 422), summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseListQuery]) -> CaseListOut:
    """Cases the caller may see, newest first, filtered and paged."""
    user = request.auth  # type: ignore[attr-defined]
    qs = selectors.case_list(
        user=user,
        filters=CaseFilters(
            q=filters.q.strip(),
            kind=filters.kind.value if filters.kind else "",
            stage=filters.stage or "",
            mine=filters.mine,
            include_closed=filters.include_closed,
        ),
    )
    # A cursor is only good for the filters it was made with.
    scope = filters.model_dump_json(include={"q", "kind", "stage", "mine", "include_closed"})
    if filters.cursor:
        if filters.offset:
            raise ValidationFailed(
                "Check the request: some values are missing or not valid.",
                field_errors={"offset": ["Send either a cursor or an offset, not both."]},
            )
        try:
            cursor = paging.cursor_read(filters.cursor, scope=scope)
        except paging.BadCursor as exc:
            raise ValidationFailed(
                "Check the request: some values are missing or not valid.",
                field_errors={"cursor": [str(exc)]},
            ) from None
        keyset = paging.page_after(qs, cursor, filters.limit)
        page, has_next = keyset.items, keyset.has_next
    else:
        rows = list(qs[filters.offset : filters.offset + filters.limit + 1])
        page, has_next = rows[: filters.limit], len(rows) > filters.limit
    count = paging.capped_count(qs, paging.count_cap(searching=bool(filters.q.strip())))
    return CaseListOut(
        count=count.value,
        count_capped=count.capped,
        limit=filters.limit,
        offset=filters.offset,
        next_cursor=paging.cursor_for(page[-1], scope=scope) if page and has_next else None,
        items=[case_summary_out(user, case) for case in page],
    )


@router.get(
    "/cases/{case_id}", response=responses(200, CaseDetailOut, 404, 422), summary="Get a case"
)
def case_detail(request: HttpRequest, case_id: ObjectId) -> CaseDetailOut:
    """One case; 404 if it does not exist or the caller may not see it."""
    user = request.auth  # type: ignore[attr-defined]
    return case_detail_out(user, selectors.case_get_for(user=user, case_id=case_id))


@router.post(
    "/cases/{case_id}/stage",
    response=responses(200, CaseDetailOut, 400, 404, 422),
    summary="Move a case to a stage",
)
def case_change_stage(request: HttpRequest, case_id: ObjectId, payload: StageChangeIn) -> Any:
    """Move the case along its workflow, with a reason that goes into the audit trail."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id)
    services.case_change_stage(
        actor=user, case=case, to_stage=payload.to_stage, reason=payload.reason
    )
    return case_detail_out(user, selectors.case_get_for(user=user, case_id=case_id))


@router.get(
    "/cases/{case_id}/participants",
    response=responses(200, list[ParticipantOut], 404, 422),
    summary="List participants",
)
def participant_list(request: HttpRequest, case_id: ObjectId) -> list[ParticipantOut]:
    """The case's participants; other people's contact details are withheld from parties."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id)
    is_staff_view = policy.can(user, "view_workspace", case)
    return [
        participant_out(view, is_staff_view=is_staff_view)
        for view in selectors.participant_views(user=user, case=case)
    ]


@router.post(
    "/cases/{case_id}/participants",
    response=responses(201, ParticipantOut, 400, 404, 422),
    summary="Add a participant",
)
def participant_add(request: HttpRequest, case_id: ObjectId, payload: ParticipantIn) -> Any:
    """Add a participant to the case (case team, coordinators and admins)."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id)
    participant = services.participant_add(actor=user, case=case, **payload.model_dump())
    return Status(201, _participant_as_seen(user, case, participant.pk))


@router.patch(
    "/participants/{participant_id}",
    response=responses(200, ParticipantOut, 400, 404, 422),
    summary="Change a participant",
)
def participant_update(
    request: HttpRequest, participant_id: ObjectId, payload: ParticipantPatch
) -> ParticipantOut:
    """Change only the fields sent; 404 if the caller may not see the participant's case."""
    user = request.auth  # type: ignore[attr-defined]
    participant = selectors.participant_get_for(user=user, participant_id=participant_id)
    services.participant_update(
        actor=user, participant=participant, **payload.model_dump(exclude_unset=True)
    )
    case = selectors.case_get_for(user=user, case_id=participant.case_id)
    return _participant_as_seen(user, case, participant.pk)


class PortalInvitationOut(ParticipantOut):
    """The participant just invited to the portal, as the caller sees them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "case_id": 17,
                    "role": "party",
                    "role_label": "Party",
                    "full_name": "Alice Smith",
                    "organisation_name": "",
                    "contact_visible": True,
                    "email": "alice@example.com",
                    "phone": "",
                    "address": "",
                    "address_withheld": True,
                    "confidential_address": True,
                    "date_of_birth": None,
                    "safe_contact_methods": ["email"],
                    "safe_contact_notes": "",
                    "has_portal_access": True,
                }
            ]
        }
    )


@router.post(
    "/cases/{case_id}/participants/{participant_id}/portal-invitation",
    response=responses(200, PortalInvitationOut, 403, 404, 422),
    summary="Invite a participant to the portal",
)
def participant_portal_invite(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId
) -> Any:
    """Email the participant a single-use, expiring link to set up their portal login, through
    the service the page's "Invite to the portal" calls. Those who may manage the case's
    participants (its team, coordinators, admins); others who may open the workspace get 403,
    anyone else 404. Refused (422) without an email address, when email is not a safe way to
    contact them (`safe_contact_methods`), or when the email belongs to staff who can open the
    case. The email names the service only; inviting again sends a fresh link."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    seen = _participant_as_seen(user, case, participant_id)
    if not policy.can(user, "manage_participants", case):
        raise NotPermitted("You may not invite participants on this case.")
    participant = Participant.objects.get(pk=seen.id, case=case)
    services.participant_invite_to_portal(actor=user, participant=participant)
    return PortalInvitationOut(**_participant_as_seen(user, case, participant_id).model_dump())


def _team(organisation: Any, payload: Any) -> dict[str, Any]:
    """The team members named by id, as staff of the service; 422 naming any unknown id."""
    from accord.organisations.selectors import staff_in

    staff = {u.pk: u for u in staff_in(organisation)}
    team: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for place in ("lead_mediator", "co_mediator", "supervisor"):
        wanted = getattr(payload, f"{place}_id")
        if wanted is not None and wanted not in staff:
            errors[f"{place}_id"] = ["Choose a member of this service's staff."]
        team[place] = staff.get(wanted) if wanted is not None else None
    if errors:
        raise ValidationFailed("The case team could not be saved.", field_errors=errors)
    return team


@router.post(
    "/cases",
    response=responses(201, CaseDetailOut, 403, 422),
    summary="Open a case",
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Any:
    """Admins, coordinators and mediators of a service open a case of a kind it offers."""
    from accord.organisations.selectors import staff_organisation_for

    user = request.auth  # type: ignore[attr-defined]
    organisation = staff_organisation_for(user)
    if organisation is None:
        raise NotPermitted("Only a service's staff can open a case.")
    case = services.case_open(
        actor=user,
        organisation=organisation,
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        **_team(organisation, payload),
    )
    return Status(201, case_detail_out(user, selectors.case_get_for(user=user, case_id=case.pk)))


@router.patch(
    "/cases/{case_id}",
    response=responses(200, CaseDetailOut, 403, 404, 422),
    summary="Change a case's title or summary",
)
def case_update(request: HttpRequest, case_id: ObjectId, payload: CaseDetailsIn) -> Any:
    """Those who may change the case; fields not sent keep their value."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id)
    services.case_update_details(
        actor=user,
        case=case,
        title=case.title if payload.title is None else payload.title,
        summary=case.summary if payload.summary is None else payload.summary,
    )
    return case_detail_out(user, selectors.case_get_for(user=user, case_id=case_id))


@router.put(
    "/cases/{case_id}/team",
    response=responses(200, CaseDetailOut, 403, 404, 422),
    summary="Set a case's team",
)
def case_team(request: HttpRequest, case_id: ObjectId, payload: CaseTeamIn) -> Any:
    """Coordinators and admins set the lead mediator, co-mediator and supervisor."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.case_get_for(user=user, case_id=case_id)
    services.case_assign_team(actor=user, case=case, **_team(case.organisation, payload))
    return case_detail_out(user, selectors.case_get_for(user=user, case_id=case_id))
