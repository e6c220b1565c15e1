"""Reads of a case's agenda for a user, through the case policy.

Staff and parties read the same items, options and agreed wording (the agenda is joint,
DOMAIN.md section 3). Only what differs is marked: staff see every party's priority and the
items' history; a party sees their own priority only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from accord.agenda.models import (
    AgendaItem,
    AgendaItemEvent,
    AgendaOption,
    AgendaPriority,
    AgendaStatus,
)
from accord.agenda.services import acting_party, is_case_mediator, not_running_reason
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden


@dataclass(frozen=True)
class AgendaView:
    """A case's agenda as one user may see it, and what they may do with it."""

    case: Case
    items: list[AgendaItem]
    is_staff_view: bool
    can_manage: bool
    party: Participant | None
    own_priorities: dict[int, int]
    #: Why nobody can change the agenda now ("The mediation has ended"), or "".
    stopped: str

    @property
    def can_contribute(self) -> bool:
        """May propose topics and add options (a party or a case mediator, mediation running)."""
        running = not self.case.is_paused and not self.stopped
        return running and (self.party is not None or self.can_manage)


def agenda_case_for(*, user: Any, case_id: Any) -> Case:
    """The case if the user may see its agenda: its staff, and its portal participants."""
    case = case_get_for(user=user, case_id=case_id, action="view")
    if case_policy.can(user, "view_workspace", case):
        return case
    if not Participant.objects.filter(case=case, user_id=user.pk, portal_access=True).exists():
        raise NotFoundOrHidden("No such case.")
    return case


def agenda_for(*, user: Any, case: Case) -> AgendaView:
    """The case's agenda in order, with options; priorities and history as the user may see."""
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such case.")
    is_staff_view = case_policy.can(user, "view_workspace", case)
    options = AgendaOption.objects.select_related("proposed_by_participant").order_by(
        "created_at", "id"
    )
    prefetches: list[Any] = [Prefetch("options", queryset=options)]
    if is_staff_view:
        prefetches += [
            Prefetch("events", queryset=AgendaItemEvent.objects.select_related("by")),
            "priorities__participant",
        ]
    items = list(
        AgendaItem.objects.filter(case=case)
        .select_related("proposed_by_participant")
        .prefetch_related(*prefetches)
        .order_by("position", "id")
    )
    party = acting_party(user, case)
    own: dict[int, int] = {}
    if party is not None:
        own = dict(
            AgendaPriority.objects.filter(participant=party, item__case=case).values_list(
                "item_id", "priority"
            )
        )
    return AgendaView(
        case=case,
        items=items,
        is_staff_view=is_staff_view,
        can_manage=is_case_mediator(user, case),
        party=party,
        own_priorities=own,
        stopped=not_running_reason(case),
    )


def agenda_item_get_for(*, user: Any, case: Case, item_id: Any) -> AgendaItem:
    """One item of the case's agenda the user may see; NotFoundOrHidden otherwise."""
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such agenda item.")
    try:
        return AgendaItem.objects.select_related("case").get(case=case, pk=int(item_id))
    except (AgendaItem.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such agenda item.") from None


def agreed_items(case: Case) -> list[AgendaItem]:
    """The case's agreed items in agenda order, for written outcomes (callers check policy)."""
    return list(
        AgendaItem.objects.filter(case=case, status=AgendaStatus.AGREED).order_by("position", "id")
    )


@dataclass(frozen=True)
class ProposalRow:
    """One proposal as one user may see it: the words they may read and the answers they may see."""

    proposal: Any
    text: str
    from_name: str
    answers: list[Any]
    #: The reader is another party who has not yet answered it (and it is still open).
    can_answer: bool
    #: Staff: a shuttle proposal waiting for the mediator to relay it.
    needs_relay: bool
    #: Staff: shuttle answers waiting to be passed back to the proposer.
    answers_to_pass_on: list[Any]


def proposals_for(*, user: Any, case: Case) -> dict[int, list[ProposalRow]]:
    """Proposals per agenda item, in order, as the user may see them.

    Staff of the case see everything. A party sees their own proposals and the answers to them
    (in shuttle cases, an answer only once a mediator passed it back); another party's proposal
    in a shuttle case only once relayed, and then only the relayed words; in joint cases every
    proposal and answer.
    """
    from accord.agenda.models import AgendaProposal, ProposalAnswer

    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such case.")
    staff = case_policy.can(user, "view_workspace", case)
    party = None if staff else acting_party(user, case)
    if not staff and party is None:
        return {}
    proposals = (
        AgendaProposal.objects.filter(item__case=case)
        .select_related("party", "item")
        .prefetch_related("answers__party")
        .order_by("created_at", "id")
    )
    rows: dict[int, list[ProposalRow]] = {}
    for proposal in proposals:
        answers = list(proposal.answers.all())
        own = party is not None and proposal.party_id == party.pk
        if staff or own:
            text = proposal.text
        elif proposal.shuttle and proposal.relayed_at is None:
            continue
        else:
            text = proposal.wording_for_others
        if staff or not proposal.shuttle:
            visible = answers
        else:
            visible = [
                a
                for a in answers
                if (party is not None and a.party_id == party.pk)
                or (own and (a.relayed_at is not None or a.answer == ProposalAnswer.ACCEPT))
            ]
        answered = party is not None and any(a.party_id == party.pk for a in answers)
        name = proposal.party.full_name
        if proposal.by_mediator:
            name = f"{name} (put by the mediator with their permission)"
        rows.setdefault(proposal.item_id, []).append(
            ProposalRow(
                proposal=proposal,
                text=text,
                from_name=name,
                answers=visible,
                can_answer=(
                    party is not None
                    and not own
                    and not answered
                    and proposal.is_open
                    and proposal.item.accepts_options
                ),
                needs_relay=staff
                and proposal.shuttle
                and proposal.relayed_at is None
                and proposal.is_open,
                answers_to_pass_on=[
                    a
                    for a in answers
                    if staff
                    and proposal.shuttle
                    and a.relayed_at is None
                    and a.answer != ProposalAnswer.ACCEPT
                ],
            )
        )
    return rows


def proposal_get_for(*, user: Any, case: Case, proposal_id: Any) -> Any:
    """One proposal of the case the user may see; NotFoundOrHidden otherwise."""
    for rows in proposals_for(user=user, case=case).values():
        for row in rows:
            if str(row.proposal.pk) == str(proposal_id):
                return row.proposal
    raise NotFoundOrHidden("No such proposal.")


def proposals_awaiting_answer(*, participant: Participant) -> int:
    """How many visible open proposals wait for this party's answer (for the portal action)."""
    from accord.agenda.models import AgendaProposal

    count = 0
    for proposal in (
        AgendaProposal.objects.filter(item__case_id=participant.case_id, accepted_at__isnull=True)
        .exclude(party=participant)
        .exclude(answers__party=participant)
        .select_related("item")
        .prefetch_related("answers")
    ):
        if proposal.shuttle and proposal.relayed_at is None:
            continue
        if proposal.is_open and proposal.item.accepts_options:
            count += 1
    return count
