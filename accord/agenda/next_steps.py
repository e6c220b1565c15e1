"""The agenda in "what is next": set it before the sessions, settle its open items during them."""

from __future__ import annotations

from django.urls import reverse

from accord.agenda.models import AgendaItem, AgendaProposal, AgendaStatus
from accord.agenda.selectors import proposals_awaiting_answer
from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
)

#: Items no longer waiting on anyone.
_SETTLED = (AgendaStatus.AGREED, AgendaStatus.NOT_AGREED, AgendaStatus.PARKED)


def _in_sessions(case: Case) -> bool:
    """Whether the case is at its sessions (or meeting) stage and not yet writing up."""
    stage = "meeting" if case.workflow.has_stage("meeting") else "mediation"
    return reached(case, stage) and not reached(case, "outcome")


def _relay_steps(case: Case, url: str) -> list[NextStep]:
    """Shuttle proposals wait for the mediator to relay them to the other party."""
    to_relay = AgendaProposal.objects.filter(
        item__case=case, shuttle=True, relayed_at__isnull=True, accepted_at__isnull=True
    ).exclude(answers__answer__in=["reject", "counter"])
    if to_relay.exists():
        return [NextStep("Relay a proposal to the other party (shuttle).", "agenda", url)]
    return []


def agenda_steps(case: Case) -> list[NextStep]:
    """Set the agenda when there is none; count the items still open during the sessions."""
    url = reverse("agenda:case", kwargs={"case_pk": case.pk})
    relay = _relay_steps(case, url)
    if not _in_sessions(case):
        return relay
    items = AgendaItem.objects.filter(case=case)
    if not items.exists():
        return [
            *relay,
            NextStep("Set the agenda: add the topics the parties want to settle.", "agenda", url),
        ]
    steps = list(relay)
    still_open = items.exclude(status__in=_SETTLED).count()
    if still_open:
        noun = "item is" if still_open == 1 else "items are"
        steps.append(NextStep(f"{still_open} agenda {noun} still open.", "agenda", url))
    return steps


def agenda_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """Ask a party to answer proposals waiting for them; invite topics while the agenda is empty."""
    if not participant.is_party:
        return []
    portal = reverse("agenda:portal", kwargs={"case_pk": case.pk})
    waiting = proposals_awaiting_answer(participant=participant)
    if waiting:
        noun = "a proposal" if waiting == 1 else f"{waiting} proposals"
        return [PartyAction(f"Respond to {noun} on the agenda.", "agenda", portal)]
    if not _in_sessions(case) or AgendaItem.objects.filter(case=case).exists():
        return []
    return [PartyAction("Add the topics you want to talk about to the agenda.", "agenda", portal)]


register_next_steps("agenda", agenda_steps)
register_party_actions("agenda", agenda_actions)
