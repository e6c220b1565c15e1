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

from accord.agenda import selectors, services
from accord.agenda.models import AgendaItem
from accord.agenda.selectors import AgendaView
from accord.api.schemas import InputSchema, MultilineText, responses

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
