"""Pre-mediation meetings in "what is next": meet each party alone before the joint session.

From the suitability stage until the mediation begins, each party without a held meeting gives
a step: book one ("Hold a pre-mediation meeting with X"), or, once the booked time has come,
record its notes. A party is told of their own meeting still to come.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
    when_in_words,
)
from accord.premediation import part  # noqa: F401  (the part must exist first)
from accord.premediation.models import PreMediationMeeting, PreMediationStatus


def _before_the_joint_session(case: Case) -> bool:
    return reached(case, "suitability") and not reached(case, "mediation")


def premediation_steps(case: Case) -> list[NextStep]:
    """One step per party still to be met before the joint session."""
    if not _before_the_joint_session(case):
        return []
    url = reverse("premediation:case", kwargs={"case_pk": case.pk})
    now = timezone.now()
    meetings = list(PreMediationMeeting.objects.filter(case=case).order_by("starts_at", "id"))
    steps: list[NextStep] = []
    for party in Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"):
        theirs = [m for m in meetings if m.participant_id == party.pk]
        if any(m.is_held for m in theirs):
            continue
        booked = [m for m in theirs if m.status == PreMediationStatus.BOOKED]
        due = [m for m in booked if m.starts_at <= now]
        if due:
            steps.append(
                NextStep(
                    f"Record the notes of the pre-mediation meeting with {party.full_name}, "
                    "or that they did not attend.",
                    "premediation",
                    reverse(
                        "premediation:notes",
                        kwargs={"case_pk": case.pk, "meeting_pk": due[-1].pk},
                    ),
                )
            )
        elif booked:
            continue
        elif any(m.status == PreMediationStatus.DID_NOT_ATTEND for m in theirs):
            steps.append(
                NextStep(
                    f"{party.full_name} did not attend their pre-mediation meeting: book another.",
                    "premediation",
                    url,
                )
            )
        else:
            steps.append(
                NextStep(
                    f"Hold a pre-mediation meeting with {party.full_name}.", "premediation", url
                )
            )
    return steps


def premediation_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """Tell a party of their own pre-mediation meeting still to come."""
    if not participant.is_party:
        return []
    upcoming = (
        PreMediationMeeting.objects.filter(
            case=case,
            participant=participant,
            starts_at__gt=timezone.now(),
            status=PreMediationStatus.BOOKED,
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return []
    return [
        PartyAction(
            f"Meet the mediator on your own on {when_in_words(upcoming.starts_at)} "
            f"({upcoming.get_mode_display().lower()}).",
            "premediation",
        )
    ]


register_next_steps("premediation", premediation_steps)
register_party_actions("premediation", premediation_actions)
