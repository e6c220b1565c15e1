"""Proposals on agenda items: making them, answering them, relaying them in shuttle cases.

A party puts a proposal on an item from the portal; a case mediator may put one for a party,
recording that the party gave permission. Every other party accepts, rejects or counters it (a
counter is a new proposal that names the one it answers). When every other party has accepted,
the proposal's wording becomes the item's agreed wording and the item is agreed.

In shuttle cases (the suitability decision's route is shuttle) a proposal and its answers go
privately through the mediator: the other parties see a proposal only once a mediator relays it
(and then only the relayed wording), and the proposer sees an answer only once it is passed back.
Audit details carry ids and answers only, never what was written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.agenda.models import (
    AgendaItem,
    AgendaItemEvent,
    AgendaProposal,
    AgendaProposalResponse,
    AgendaStatus,
    ProposalAnswer,
)
from accord.agenda.services import (
    TEXT_LIMIT,
    _audit,
    _ensure_running,
    _locked_case,
    _text,
    acting_party,
    is_case_mediator,
)
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed

SHUTTLE = "shuttle"


def is_shuttle(case: Case) -> bool:
    """Whether the case's suitability decision sends it through the mediator (shuttle route)."""
    from accord.meetings.models import SuitabilityDecision

    route = SuitabilityDecision.objects.filter(case_id=case.pk).values_list("route", flat=True)
    return route.first() == SHUTTLE


def case_parties(case: Case) -> list[Participant]:
    """The case's parties, in the order they were added."""
    return list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"))


def closed_item_refusal(item: AgendaItem) -> str:
    """Why no proposal may be made on or accepted for this item now; "" if it may."""
    if item.status == AgendaStatus.AGREED:
        return (
            "This item is already agreed, so no proposal can be made on it. "
            "A mediator must reopen it first if the parties want to change what they agreed."
        )
    if item.status in (AgendaStatus.NOT_AGREED, AgendaStatus.PARKED):
        return (
            f"This item is {item.get_status_display().lower()}, so no proposal can be made on it. "
            "A mediator must reopen it first."
        )
    return ""


def _locked_item(actor: Any, item: AgendaItem) -> tuple[AgendaItem, Case]:
    case = _locked_case(actor, item.case)
    try:
        return AgendaItem.objects.select_for_update().get(pk=item.pk, case=case), case
    except AgendaItem.DoesNotExist:
        raise NotFoundOrHidden("No such agenda item.") from None


def _new_proposal(
    *,
    actor: Any,
    item: AgendaItem,
    case: Case,
    party: Participant,
    text: str,
    by_mediator: bool,
    counter_to: AgendaProposal | None,
) -> AgendaProposal:
    proposal = AgendaProposal.objects.create(
        item=item,
        party=party,
        made_by=actor,
        by_mediator=by_mediator,
        with_permission=by_mediator,
        text=text,
        counter_to=counter_to,
        shuttle=is_shuttle(case),
    )
    _audit(
        actor,
        case,
        "agenda.proposal_made",
        proposal,
        {
            "item_id": item.pk,
            "proposal_id": proposal.pk,
            "participant_id": party.pk,
            "by_mediator": by_mediator,
            "counter_to": counter_to.pk if counter_to else None,
            "shuttle": proposal.shuttle,
        },
    )
    return proposal


@transaction.atomic
def agenda_proposal_make(
    *,
    actor: Any,
    item: AgendaItem,
    text: str,
    on_behalf_of: Participant | None = None,
    with_permission: bool = False,
) -> AgendaProposal:
    """Put a proposal on an item: a party for themself, or a case mediator for a party."""
    item, case = _locked_item(actor, item)
    party = acting_party(actor, case)
    by_mediator = party is None
    if by_mediator and not is_case_mediator(actor, case):
        raise NotPermitted("Only the parties and the case's mediators can make proposals.")
    _ensure_running(case, doing="making a proposal")
    errors: dict[str, list[str]] = {}
    text = _text(
        text, field="text", required="Write the proposal.", limit=TEXT_LIMIT, errors=errors
    )
    if by_mediator:
        parties = {p.pk: p for p in case_parties(case)}
        chosen = parties.get(getattr(on_behalf_of, "pk", None) or 0)
        if chosen is None:
            errors["on_behalf_of"] = ["Choose the party whose proposal this is."]
        if with_permission is not True:
            errors["with_permission"] = [
                "A mediator puts a proposal for a party only with their permission: "
                "confirm they gave it."
            ]
        party = chosen
    refusal = closed_item_refusal(item)
    if refusal:
        errors["__all__"] = [refusal]
    if errors or party is None:
        raise ValidationFailed(refusal or "The proposal could not be made.", field_errors=errors)
    return _new_proposal(
        actor=actor,
        item=item,
        case=case,
        party=party,
        text=text,
        by_mediator=by_mediator,
        counter_to=None,
    )


def _locked_proposal(actor: Any, proposal: AgendaProposal) -> tuple[AgendaProposal, Case]:
    item, case = _locked_item(actor, proposal.item)
    try:
        locked = AgendaProposal.objects.select_for_update().get(pk=proposal.pk, item=item)
    except AgendaProposal.DoesNotExist:
        raise NotFoundOrHidden("No such proposal.") from None
    locked.item = item
    return locked, case


@transaction.atomic
def agenda_proposal_relay(*, actor: Any, proposal: AgendaProposal, text: str) -> AgendaProposal:
    """A case mediator passes a shuttle proposal to the other parties, in the words they choose."""
    proposal, case = _locked_proposal(actor, proposal)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can relay proposals.")
    _ensure_running(case, doing="relaying a proposal")
    errors: dict[str, list[str]] = {}
    text = _text(
        text,
        field="text",
        required="Write what the other party will read.",
        limit=TEXT_LIMIT,
        errors=errors,
    )
    if not proposal.shuttle:
        errors["__all__"] = ["Only proposals in shuttle mediation go through the mediator."]
    elif proposal.relayed_at is not None:
        errors["__all__"] = ["This proposal has already been relayed."]
    elif not proposal.is_open:
        errors["__all__"] = ["This proposal has already been answered."]
    if errors:
        general = errors.get("__all__", ["The proposal could not be relayed."])[0]
        raise ValidationFailed(general, field_errors=errors)
    proposal.relayed_text, proposal.relayed_at, proposal.relayed_by = text, timezone.now(), actor
    proposal.save(update_fields=["relayed_text", "relayed_at", "relayed_by", "updated_at"])
    _audit(
        actor,
        case,
        "agenda.proposal_relayed",
        proposal,
        {"item_id": proposal.item_id, "proposal_id": proposal.pk},
    )
    return proposal


@transaction.atomic
def agenda_proposal_answer(
    *, actor: Any, proposal: AgendaProposal, answer: str, counter_text: str = ""
) -> AgendaProposalResponse:
    """Another party accepts, rejects or counters a proposal they can see.

    When every other party has accepted, the wording they read becomes the item's agreed wording.
    """
    proposal, case = _locked_proposal(actor, proposal)
    party = acting_party(actor, case)
    if party is None:
        raise NotPermitted("Only a party can answer a proposal.")
    if proposal.shuttle and proposal.relayed_at is None and proposal.party_id != party.pk:
        raise NotFoundOrHidden("No such proposal.")
    _ensure_running(case, doing="answering a proposal")
    item = proposal.item
    errors: dict[str, list[str]] = {}
    if answer not in ProposalAnswer.values:
        errors["answer"] = ["Choose to accept, reject or counter the proposal."]
    counter_text = _text(
        counter_text,
        field="counter_text",
        required="Write your counter-proposal." if answer == ProposalAnswer.COUNTER else "",
        limit=TEXT_LIMIT,
        errors=errors,
    )
    if proposal.party_id == party.pk:
        errors["__all__"] = ["You cannot answer your own proposal."]
    elif AgendaProposalResponse.objects.filter(proposal=proposal, party=party).exists():
        errors["__all__"] = ["You have already answered this proposal."]
    elif not proposal.is_open:
        errors["__all__"] = ["This proposal has already been answered."]
    elif closed_item_refusal(item):
        status = (
            "already agreed"
            if item.status == AgendaStatus.AGREED
            else (item.get_status_display().lower())
        )
        errors["__all__"] = [
            f"This item is {status}, so its proposals can no longer be answered. "
            "A mediator must reopen it first."
        ]
    if errors:
        general = errors.get("__all__", ["The answer could not be saved."])[0]
        raise ValidationFailed(general, field_errors=errors)
    counter = None
    if answer == ProposalAnswer.COUNTER:
        counter = _new_proposal(
            actor=actor,
            item=item,
            case=case,
            party=party,
            text=counter_text,
            by_mediator=False,
            counter_to=proposal,
        )
    response = AgendaProposalResponse.objects.create(
        proposal=proposal, party=party, answered_by=actor, answer=answer, counter=counter
    )
    _audit(
        actor,
        case,
        "agenda.proposal_answered",
        proposal,
        {
            "item_id": item.pk,
            "proposal_id": proposal.pk,
            "participant_id": party.pk,
            "answer": answer,
        },
    )
    if answer == ProposalAnswer.ACCEPT:
        _agree_if_everyone_accepted(actor, proposal, case)
    return response


def _agree_if_everyone_accepted(actor: Any, proposal: AgendaProposal, case: Case) -> None:
    others = {p.pk for p in case_parties(case)} - {proposal.party_id}
    accepted = set(
        AgendaProposalResponse.objects.filter(
            proposal=proposal, answer=ProposalAnswer.ACCEPT
        ).values_list("party_id", flat=True)
    )
    if not others <= accepted:
        return
    now = timezone.now()
    item = proposal.item
    from_status = item.status
    wording = proposal.wording_for_others
    item.status, item.agreed_wording, item.agreed_at = AgendaStatus.AGREED, wording, now
    item.save(update_fields=["status", "agreed_wording", "agreed_at", "updated_at"])
    proposal.accepted_at = now
    proposal.save(update_fields=["accepted_at", "updated_at"])
    AgendaItemEvent.objects.create(
        item=item,
        from_status=from_status,
        to_status=AgendaStatus.AGREED,
        by=actor,
        at=now,
        note="Every other party accepted a proposal.",
        wording=wording,
    )
    _audit(
        actor,
        case,
        "agenda.proposal_accepted",
        proposal,
        {"item_id": item.pk, "proposal_id": proposal.pk, "from": from_status, "to": "agreed"},
    )


@transaction.atomic
def agenda_proposal_answer_relay(
    *, actor: Any, response: AgendaProposalResponse
) -> AgendaProposalResponse:
    """A case mediator passes a shuttle answer back to the party who made the proposal."""
    proposal, case = _locked_proposal(actor, response.proposal)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can pass answers on.")
    _ensure_running(case, doing="passing an answer on")
    response = AgendaProposalResponse.objects.select_for_update().get(pk=response.pk)
    if not proposal.shuttle or response.relayed_at is not None:
        raise ValidationFailed(
            "This answer does not need passing on.",
            field_errors={"__all__": ["This answer does not need passing on."]},
        )
    response.relayed_at = timezone.now()
    response.save(update_fields=["relayed_at", "updated_at"])
    _audit(
        actor,
        case,
        "agenda.proposal_answer_relayed",
        proposal,
        {"item_id": proposal.item_id, "proposal_id": proposal.pk, "answer_id": response.pk},
    )
    return response
