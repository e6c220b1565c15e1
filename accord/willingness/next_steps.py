"""The willingness step's part in "what is next": invite the other party, chase, or act on a lapse.

Worked out from the case's latest invitation, and offered only until the case has moved past the
MIAMs (a case in sessions has plainly got past the invitation, however it got there).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
)
from accord.willingness.models import InvitationStatus, WillingnessInvitation
from accord.willingness.selectors import willingness_state


def _past_invitation(case: Case) -> bool:
    """Whether the case has moved past the point where the other party is invited."""
    # Family cases invite before MIAMs; other kinds before the suitability decision.
    return (
        reached(case, "suitability")
        if case.workflow.has_stage("miam")
        else reached(case, "agreement")
    )


def _everyone_met(case: Case) -> bool:
    """Every party has had a MIAM held: the other party engaged, whatever the invitation says."""
    from accord.meetings.models import MiamStatus

    parties = [p for p in case.participants.all() if p.is_party]
    if len(parties) < 2:
        return False
    met = set(
        case.miams.filter(status=MiamStatus.HELD).values_list("attendees", flat=True).distinct()
    )
    return all(p.pk in met for p in parties)


def willingness_steps(case: Case) -> list[NextStep]:
    """Invite the other party, chase their answer, or decide what to do when they do not engage."""
    if _past_invitation(case) or _everyone_met(case):
        return []
    state = willingness_state(case)
    workspace = reverse("cases:detail", kwargs={"pk": case.pk})
    invite = reverse("willingness:invite", kwargs={"case_pk": case.pk})
    latest = state.latest
    name = latest.participant.full_name if latest is not None else ""
    if state.code == "not_invited":
        return [NextStep("Invite the other party to mediation.", "willingness", invite)]
    if state.code == "withdrawn":
        return [
            NextStep("The invitation was withdrawn: invite again or close.", "willingness", invite)
        ]
    assert latest is not None
    if state.code == "awaiting_answer":
        overdue = latest.respond_by < timezone.localdate()
        due = f"{latest.respond_by.day} {latest.respond_by:%B}"
        text = (
            f"{name}'s answer to the invitation was due on {due}: chase them."
            if overdue
            else f"Wait for {name}'s answer to the invitation (due {due}); chase if needed."
        )
        return [NextStep(text, "willingness", workspace, urgent=overdue)]
    if state.code == "info_requested":
        return [
            NextStep(
                f"{name} asked for more information: contact them and record it.",
                "willingness",
                reverse("willingness:contact_attempt", kwargs={"case_pk": case.pk}),
            )
        ]
    if state.code == "not_engaging":
        lapsed = latest.status == InvitationStatus.LAPSED
        why = "did not answer in time" if lapsed else "is not willing to mediate"
        return [
            NextStep(
                f"{name} {why}: offer the other party a MIAM certificate, or close the case.",
                "willingness",
                workspace,
            )
        ]
    return []


def willingness_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The invited party's own invitation, while it waits for their answer."""
    waiting = (
        WillingnessInvitation.objects.filter(
            case=case, participant=participant, status=InvitationStatus.INVITED
        )
        .order_by("-sent_at", "-id")
        .first()
    )
    if waiting is None:
        return []
    due = f"{waiting.respond_by.day} {waiting.respond_by:%B}"
    return [
        PartyAction(
            f"Answer the invitation to mediation by {due}, using the code in your email or letter.",
            "willingness",
            reverse("willingness:respond_start"),
        )
    ]


register_next_steps("willingness", willingness_steps)
register_party_actions("willingness", willingness_actions)
