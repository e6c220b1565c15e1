"""The agenda part of the HTTP API (mounted by ``accord.api.api``).

Staff and parties read the agenda through the same selector as the pages; what the portal page
does not show a party (other parties' priorities, the history) is null for them here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.agenda import proposals, selectors, services
from accord.agenda.models import AgendaItem
from accord.agenda.selectors import AgendaView
from accord.api.schemas import InputSchema, MultilineText, responses
from accord.core.errors import NotFoundOrHidden

router = Router(tags=["agenda"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Input ---------------------------------------------------------------------------------


class AgendaItemIn(InputSchema):
    """A topic proposed for the agenda."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., description="A short title for the topic.")
    topic: str = Field(
        "",
        description=(
            "child_arrangements, child_maintenance, finances, property or other; family cases "
            "may use any of them, every other kind only other (the default when left out)."
        ),
    )
    issue: MultilineText = Field(..., description="What the issue is.")
    view: MultilineText = Field("", description="How the proposer sees it.")
    hopes: MultilineText = Field("", description="What the proposer hopes for.")
    touches_children: bool = Field(
        False, description="About the children (always for children topics)."
    )


class AgendaStatusIn(InputSchema):
    """A move of an item to another status (the case's mediators)."""

    model_config = ConfigDict(extra="forbid")

    to_status: str
    note: MultilineText = Field("", description="Why; required when reopening an agreed item.")
    agreed_wording: MultilineText = Field("", description="Required when moving to agreed.")


class AgendaOptionIn(InputSchema):
    """An option for settling an item."""

    model_config = ConfigDict(extra="forbid")

    text: MultilineText
    with_permission: bool = Field(
        False, description="Mediators only: the parties gave permission to offer this idea."
    )


class AgendaPriorityIn(InputSchema):
    """A party's own priority for an item."""

    model_config = ConfigDict(extra="forbid")

    priority: int = Field(..., description="1 (low) to 5 (high).")


# --- Output --------------------------------------------------------------------------------


class AgendaOptionOut(Schema):
    """An option and who offered it."""

    id: int
    text: str
    proposed_by: str
    mediator_idea: bool


class AgendaPriorityOut(Schema):
    """One party's priority for an item."""

    participant_id: int
    participant: str
    priority: int


class AgendaEventOut(Schema):
    """One step of an item's history."""

    from_status: str
    to_status: str
    at: dt.datetime
    note: str
    wording: str


class AgendaItemOut(Schema):
    """One agenda item as the caller may see it."""

    id: int
    position: int
    title: str
    topic: str
    status: str
    status_label: str
    proposed_by: str
    issue: str
    view: str
    hopes: str
    touches_children: bool
    agreed_wording: str
    options: list[AgendaOptionOut]
    my_priority: int | None = Field(description="The caller's own priority, if they are a party.")
    priorities: list[AgendaPriorityOut] | None = Field(description="Staff only; null for parties.")
    history: list[AgendaEventOut] | None = Field(description="Staff only; null for parties.")


class AgendaOut(Schema):
    """A case's agenda, in order."""

    case_id: int
    items: list[AgendaItemOut]


def _item_out(agenda: AgendaView, item: AgendaItem) -> AgendaItemOut:
    staff = agenda.is_staff_view
    return AgendaItemOut(
        id=item.pk,
        position=item.position,
        title=item.title,
        topic=item.topic,
        status=item.status,
        status_label=item.get_status_display(),
        proposed_by=item.proposer_name,
        issue=item.issue,
        view=item.view,
        hopes=item.hopes,
        touches_children=item.touches_children,
        agreed_wording=item.agreed_wording,
        options=[
            AgendaOptionOut(
                id=o.pk, text=o.text, proposed_by=o.proposer_name, mediator_idea=o.mediator_idea
            )
            for o in item.options.all()
        ],
        my_priority=agenda.own_priorities.get(item.pk),
        priorities=[
            AgendaPriorityOut(
                participant_id=p.participant_id,
                participant=p.participant.full_name,
                priority=p.priority,
            )
            for p in item.priorities.all()
        ]
        if staff
        else None,
        history=[
            AgendaEventOut(
                from_status=e.from_status,
                to_status=e.to_status,
                at=e.at,
                note=e.note,
                wording=e.wording,
            )
            for e in item.events.all()
        ]
        if staff
        else None,
    )


def _agenda_out(user: Any, case_id: int) -> AgendaOut:
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    agenda = selectors.agenda_for(user=user, case=case)
    return AgendaOut(case_id=case.pk, items=[_item_out(agenda, item) for item in agenda.items])


def _one(user: Any, case_id: int, item_id: int) -> AgendaItemOut:
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    agenda = selectors.agenda_for(user=user, case=case)
    item = next(i for i in agenda.items if i.pk == item_id)
    return _item_out(agenda, item)


def _item(user: Any, case_id: int, item_id: int) -> AgendaItem:
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    return selectors.agenda_item_get_for(user=user, case=case, item_id=item_id)


@router.get(
    "/cases/{case_id}/agenda", response=responses(200, AgendaOut, 404, 422), summary="Agenda"
)
def agenda_get(request: HttpRequest, case_id: ObjectId) -> AgendaOut:
    """The case's agenda in order, for its staff and its parties."""
    return _agenda_out(request.auth, case_id)  # type: ignore[attr-defined]


@router.post(
    "/cases/{case_id}/agenda/items",
    response=responses(201, AgendaItemOut, 404, 409, 422),
    summary="Propose an agenda topic",
)
def agenda_item_propose(request: HttpRequest, case_id: ObjectId, payload: AgendaItemIn) -> Any:
    """A party, or a case mediator, puts a topic on the agenda."""
    user = request.auth  # type: ignore[attr-defined]
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    item = services.agenda_item_propose(actor=user, case=case, **payload.model_dump())
    return Status(201, _one(user, case_id, item.pk))


@router.post(
    "/cases/{case_id}/agenda/items/{item_id}/status",
    response=responses(200, AgendaItemOut, 404, 409, 422),
    summary="Change an agenda item's status",
)
def agenda_item_status(
    request: HttpRequest, case_id: ObjectId, item_id: ObjectId, payload: AgendaStatusIn
) -> AgendaItemOut:
    """A case mediator moves an item; agreeing needs the wording, reopening a reason."""
    user = request.auth  # type: ignore[attr-defined]
    item = _item(user, case_id, item_id)
    services.agenda_item_change_status(actor=user, item=item, **payload.model_dump())
    return _one(user, case_id, item_id)


@router.post(
    "/cases/{case_id}/agenda/items/{item_id}/options",
    response=responses(201, AgendaItemOut, 404, 409, 422),
    summary="Add an option to an agenda item",
)
def agenda_option_add(
    request: HttpRequest, case_id: ObjectId, item_id: ObjectId, payload: AgendaOptionIn
) -> Any:
    """A party suggests an option, or a mediator offers an idea with the parties' permission."""
    user = request.auth  # type: ignore[attr-defined]
    item = _item(user, case_id, item_id)
    services.agenda_option_add(actor=user, item=item, **payload.model_dump())
    return Status(201, _one(user, case_id, item_id))


@router.post(
    "/cases/{case_id}/agenda/items/{item_id}/priority",
    response=responses(200, AgendaItemOut, 404, 409, 422),
    summary="Set your priority for an agenda item",
)
def agenda_priority_set(
    request: HttpRequest, case_id: ObjectId, item_id: ObjectId, payload: AgendaPriorityIn
) -> AgendaItemOut:
    """A party sets their own priority, 1 (low) to 5 (high)."""
    user = request.auth  # type: ignore[attr-defined]
    item = _item(user, case_id, item_id)
    services.agenda_priority_set(actor=user, item=item, priority=payload.priority)
    return _one(user, case_id, item_id)


# --- Proposals -----------------------------------------------------------------------------


class ProposalIn(InputSchema):
    """A proposal on an agenda item; a mediator names the party and confirms permission."""

    model_config = ConfigDict(extra="forbid")

    text: MultilineText
    on_behalf_of: int | None = Field(
        None, description="Mediators only: the participant id of the party whose proposal it is."
    )
    with_permission: bool = Field(
        False, description="Mediators only: the party gave permission to put it for them."
    )


class ProposalAnswerIn(InputSchema):
    """Another party's answer: accept, reject or counter (with the counter-proposal's words)."""

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(..., description="accept, reject or counter.")
    counter_text: MultilineText = Field("", description="Required when countering.")


class ProposalRelayIn(InputSchema):
    """The words a mediator passes on to the other party in shuttle mediation."""

    model_config = ConfigDict(extra="forbid")

    text: MultilineText


class ProposalAnswerOut(Schema):
    """One answer the caller may see."""

    id: int
    participant_id: int
    participant: str
    answer: str


class ProposalOut(Schema):
    """A proposal as the caller may see it (another party reads only relayed words in shuttle)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 40,
                    "item_id": 31,
                    "participant_id": 12,
                    "from_party": "Alice Smith",
                    "text": "Handovers at school on Fridays.",
                    "counter_to": None,
                    "shuttle": True,
                    "relayed": True,
                    "accepted": False,
                    "can_answer": False,
                    "answers": [
                        {
                            "id": 7,
                            "participant_id": 13,
                            "participant": "Bob Jones",
                            "answer": "accept",
                        }
                    ],
                }
            ]
        }
    )

    id: int
    item_id: int
    participant_id: int
    from_party: str
    text: str
    counter_to: int | None
    shuttle: bool
    relayed: bool
    accepted: bool
    can_answer: bool
    answers: list[ProposalAnswerOut]


def _proposals_out(user: Any, case_id: int) -> list[ProposalOut]:
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    rows = selectors.proposals_for(user=user, case=case)
    return [
        ProposalOut(
            id=r.proposal.pk,
            item_id=r.proposal.item_id,
            participant_id=r.proposal.party_id,
            from_party=r.from_name,
            text=r.text,
            counter_to=r.proposal.counter_to_id,
            shuttle=r.proposal.shuttle,
            relayed=r.proposal.relayed_at is not None,
            accepted=r.proposal.accepted_at is not None,
            can_answer=r.can_answer,
            answers=[
                ProposalAnswerOut(
                    id=a.pk,
                    participant_id=a.party_id,
                    participant=a.party.full_name,
                    answer=a.answer,
                )
                for a in r.answers
            ],
        )
        for item_rows in rows.values()
        for r in item_rows
    ]


def _one_proposal(user: Any, case_id: int, proposal_id: int) -> ProposalOut:
    return next(p for p in _proposals_out(user, case_id) if p.id == proposal_id)


def _proposal(user: Any, case_id: int, proposal_id: int) -> Any:
    case = selectors.agenda_case_for(user=user, case_id=case_id)
    return selectors.proposal_get_for(user=user, case=case, proposal_id=proposal_id)


@router.get(
    "/cases/{case_id}/agenda/proposals",
    response=responses(200, list[ProposalOut], 404, 422),
    summary="Proposals on the agenda",
)
def agenda_proposals(request: HttpRequest, case_id: ObjectId) -> list[ProposalOut]:
    """Every proposal on the case's agenda the caller may see, oldest first."""
    return _proposals_out(request.auth, case_id)  # type: ignore[attr-defined]


@router.post(
    "/cases/{case_id}/agenda/items/{item_id}/proposals",
    response=responses(201, ProposalOut, 404, 409, 422),
    summary="Make a proposal on an agenda item",
)
def agenda_proposal_make(
    request: HttpRequest, case_id: ObjectId, item_id: ObjectId, payload: ProposalIn
) -> Any:
    """A party proposes; a case mediator may put a proposal for a party with their permission."""
    user = request.auth  # type: ignore[attr-defined]
    item = _item(user, case_id, item_id)
    on_behalf_of = None
    if payload.on_behalf_of is not None:
        on_behalf_of = next(
            (p for p in proposals.case_parties(item.case) if p.pk == payload.on_behalf_of), None
        )
    made = proposals.agenda_proposal_make(
        actor=user,
        item=item,
        text=payload.text,
        on_behalf_of=on_behalf_of,
        with_permission=payload.with_permission,
    )
    return Status(201, _one_proposal(user, case_id, made.pk))


@router.post(
    "/cases/{case_id}/agenda/proposals/{proposal_id}/answer",
    response=responses(200, ProposalOut, 404, 409, 422),
    summary="Answer a proposal",
)
def agenda_proposal_answer(
    request: HttpRequest, case_id: ObjectId, proposal_id: ObjectId, payload: ProposalAnswerIn
) -> ProposalOut:
    """Another party accepts, rejects or counters a proposal they can see."""
    user = request.auth  # type: ignore[attr-defined]
    proposal = _proposal(user, case_id, proposal_id)
    proposals.agenda_proposal_answer(actor=user, proposal=proposal, **payload.model_dump())
    return _one_proposal(user, case_id, proposal_id)


@router.post(
    "/cases/{case_id}/agenda/proposals/{proposal_id}/relay",
    response=responses(200, ProposalOut, 403, 404, 409, 422),
    summary="Relay a shuttle proposal",
)
def agenda_proposal_relay(
    request: HttpRequest, case_id: ObjectId, proposal_id: ObjectId, payload: ProposalRelayIn
) -> ProposalOut:
    """A case mediator relays a shuttle proposal to the other party, in the words given."""
    user = request.auth  # type: ignore[attr-defined]
    proposal = _proposal(user, case_id, proposal_id)
    proposals.agenda_proposal_relay(actor=user, proposal=proposal, text=payload.text)
    return _one_proposal(user, case_id, proposal_id)


@router.post(
    "/cases/{case_id}/agenda/proposals/{proposal_id}/answers/{answer_id}/relay",
    response=responses(200, ProposalOut, 403, 404, 409, 422),
    summary="Pass a shuttle answer back to the proposer",
)
def agenda_proposal_answer_relay(
    request: HttpRequest, case_id: ObjectId, proposal_id: ObjectId, answer_id: ObjectId
) -> ProposalOut:
    """A case mediator passes a party's answer to a shuttle proposal back to the party who made
    it (the page's "Pass on" button)."""
    user = request.auth  # type: ignore[attr-defined]
    proposal = _proposal(user, case_id, proposal_id)
    response = proposal.answers.filter(pk=answer_id).first()
    if response is None:
        raise NotFoundOrHidden("No such answer.")
    proposals.agenda_proposal_answer_relay(actor=user, response=response)
    return _one_proposal(user, case_id, proposal_id)


# --- Session plans -------------------------------------------------------------------------


class PlanRowIn(InputSchema):
    """One agenda item planned for the session."""

    model_config = ConfigDict(extra="forbid")

    item_id: ObjectId
    position: int = Field(0, ge=0, le=1000, description="Order in the session (lowest first).")
    minutes: int = Field(..., description="1 to 480; the service names the item if not.")
    goal: MultilineText = Field("", max_length=1000, description="The mediator's own aim.")


class SessionPlanIn(InputSchema):
    """The whole plan of a session; it replaces the plan there was (an empty list clears it)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "rows": [
                        {"item_id": 31, "position": 1, "minutes": 30, "goal": "Agree handovers"},
                        {"item_id": 32, "position": 2, "minutes": 45, "goal": ""},
                    ]
                }
            ]
        },
    )

    rows: list[PlanRowIn] = Field(..., max_length=200)


class PlanRowOut(Schema):
    """An item in the plan; the goal is for staff (null for parties)."""

    item_id: int
    title: str
    position: int
    minutes: int
    goal: str | None


class SessionPlanOut(Schema):
    """A session's plan, its length, and how far it runs over the session."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": 5,
                    "rows": [
                        {
                            "item_id": 31,
                            "title": "Handovers",
                            "position": 1,
                            "minutes": 30,
                            "goal": "Agree handovers",
                        }
                    ],
                    "total_minutes": 30,
                    "session_minutes": 120,
                    "over_by": 0,
                }
            ]
        }
    )

    session_id: int
    rows: list[PlanRowOut]
    total_minutes: int
    session_minutes: int
    over_by: int


def _session(user: Any, case_id: int, session_id: int) -> Any:
    from accord.cases import selectors as case_selectors
    from accord.mediation.selectors import session_get_for

    case = case_selectors.case_get_for(user=user, case_id=case_id)
    return session_get_for(user=user, case=case, session_id=session_id)


def _plan_out(user: Any, session: Any) -> SessionPlanOut:
    from accord.agenda.session_plan import session_plan_for

    plan = session_plan_for(user=user, session=session)
    return SessionPlanOut(
        session_id=session.pk,
        rows=[
            PlanRowOut(
                item_id=row.item_id,
                title=row.item.title,
                position=row.position,
                minutes=row.minutes,
                goal=row.goal if plan.show_goals else None,
            )
            for row in plan.rows
        ],
        total_minutes=plan.total_minutes,
        session_minutes=plan.session_minutes,
        over_by=plan.over_by,
    )


@router.get(
    "/cases/{case_id}/sessions/{session_id}/plan",
    response=responses(200, SessionPlanOut, 404),
    summary="A session's plan",
)
def session_plan_get(request: HttpRequest, case_id: ObjectId, session_id: ObjectId) -> Any:
    """The agenda items planned for the session, in order; parties see no goals."""
    user = request.auth  # type: ignore[attr-defined]
    return _plan_out(user, _session(user, case_id, session_id))


@router.put(
    "/cases/{case_id}/sessions/{session_id}/plan",
    response=responses(200, SessionPlanOut, 403, 404, 409, 422),
    summary="Plan a session from the agenda",
)
def session_plan_put(
    request: HttpRequest, case_id: ObjectId, session_id: ObjectId, payload: SessionPlanIn
) -> Any:
    """A case mediator replaces the session's plan: items, order, minutes and goals."""
    from accord.agenda.session_plan import PlanRow, session_plan_set

    user = request.auth  # type: ignore[attr-defined]
    session = _session(user, case_id, session_id)
    session_plan_set(
        actor=user,
        session=session,
        rows=[PlanRow(r.item_id, r.position, r.minutes, r.goal) for r in payload.rows],
    )
    return _plan_out(user, session)
