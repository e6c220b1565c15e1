"""The children in "what is next": record them, offer to hear those 10 and over, and follow on.

For the team: record the children (or bring them in from the enquiry); offer each child aged 10
or over a chance to be heard; once both parents consented, assign the consultant, book the
meeting, record it and share the approved feedback. For a parent: answer the offer (their own
answer only), and bring the child to a booked meeting.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    register_next_steps,
    register_party_actions,
    when_in_words,
)
from accord.children import part  # noqa: F401  (the parts must exist first)
from accord.children.models import HEARD_FROM_AGE, CaseChild, ChildOffer, OfferStatus


def children_steps(case: Case) -> list[NextStep]:
    if case.is_closed:
        return []
    url = reverse("children:case", kwargs={"case_pk": case.pk})
    if not CaseChild.objects.filter(case=case).exists():
        return [
            NextStep("Record the children of the case, with their dates of birth.", "children", url)
        ]
    return []


def child_inclusive_steps(case: Case) -> list[NextStep]:
    if case.is_closed:
        return []
    url = reverse("children:case", kwargs={"case_pk": case.pk})
    today = timezone.localdate()
    steps: list[NextStep] = []
    offered = set(ChildOffer.objects.filter(case=case).values_list("child_id", flat=True))
    for child in CaseChild.objects.filter(case=case):
        if child.pk not in offered and child.age_on(today) >= HEARD_FROM_AGE:
            steps.append(
                NextStep(
                    f"Offer {child.full_name} (aged {child.age_on(today)}) a chance to be heard.",
                    "child_inclusive",
                    url,
                )
            )
    now = timezone.now()
    for offer in ChildOffer.objects.filter(case=case).select_related("child"):
        name = offer.child.full_name
        if offer.status == OfferStatus.CONSENTED:
            if offer.consultant_id is None:
                text = f"Assign a child consultant to meet {name}."
            elif offer.starts_at is None:
                text = f"Book {name}'s meeting with the child consultant."
            elif offer.starts_at <= now:
                text = f"Record {name}'s meeting and the feedback they approve."
            else:
                continue
            steps.append(NextStep(text, "child_inclusive", url))
        elif offer.status == OfferStatus.MET and offer.feedback_approved_at:
            steps.append(
                NextStep(
                    f"Share the feedback {name} approved with the parents.", "child_inclusive", url
                )
            )
    return steps


def child_inclusive_actions(case: Case, participant: Participant) -> list[PartyAction]:
    if participant.role not in PARTY_ROLES:
        return []
    url = reverse("children:portal", kwargs={"case_pk": case.pk})
    actions: list[PartyAction] = []
    for offer in ChildOffer.objects.filter(case=case).select_related("child"):
        if (
            offer.status == OfferStatus.AWAITING_CONSENT
            and not offer.answers.filter(participant=participant).exists()
        ):
            actions.append(
                PartyAction(
                    f"Say whether {offer.child.full_name} may meet a mediator to be heard.",
                    "child_inclusive",
                    url,
                )
            )
        elif (
            offer.brought_by_id == participant.pk
            and offer.starts_at is not None
            and offer.starts_at > timezone.now()
            and offer.held_at is None
        ):
            actions.append(
                PartyAction(
                    f"Bring {offer.child.full_name} to their meeting on "
                    f"{when_in_words(offer.starts_at)}.",
                    "child_inclusive",
                    url,
                )
            )
    return actions


def schedules_steps(case: Case) -> list[NextStep]:
    """Proposals saved but none agreed: record the agreed one when the parents settle on it."""
    from accord.children.models import CareSchedule

    if case.is_closed:
        return []
    rows = list(CareSchedule.objects.filter(case=case).values_list("agreed_at", flat=True))
    if rows and not any(rows):
        url = reverse("children:schedules", kwargs={"case_pk": case.pk})
        return [NextStep("Record the schedule the parents agree.", "schedules", url)]
    return []


register_next_steps("children", children_steps)
register_next_steps("schedules", schedules_steps)
register_next_steps("child_inclusive", child_inclusive_steps)
register_party_actions("child_inclusive", child_inclusive_actions)
