"""The agenda in "what is next": set it before the sessions, settle its open items during them."""

from __future__ import annotations

from django.urls import reverse

from accord.agenda.models import AgendaItem, AgendaStatus
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


def agenda_steps(case: Case) -> list[NextStep]:
    """Set the agenda when there is none; count the items still open during the sessions."""
    if not _in_sessions(case):
        return []
    url = reverse("agenda:case", kwargs={"case_pk": case.pk})
    items = AgendaItem.objects.filter(case=case)
    if not items.exists():
        return [
            NextStep("Set the agenda: add the topics the parties want to settle.", "agenda", url)
        ]
    still_open = items.exclude(status__in=_SETTLED).count()
    if still_open:
        noun = "item is" if still_open == 1 else "items are"
        return [NextStep(f"{still_open} agenda {noun} still open.", "agenda", url)]
    return []


def agenda_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """Invite the parties to add their topics while the agenda is still empty."""
    if not participant.is_party or not _in_sessions(case):
        return []
    if AgendaItem.objects.filter(case=case).exists():
        return []
    return [
        PartyAction(
            "Add the topics you want to talk about to the agenda.",
            "agenda",
            reverse("agenda:portal", kwargs={"case_pk": case.pk}),
        )
    ]


register_next_steps("agenda", agenda_steps)
register_party_actions("agenda", agenda_actions)
