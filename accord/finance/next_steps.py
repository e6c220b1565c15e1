"""Financial disclosure in "what is next": gaps to chase, disclosure to share, a deadline to set.

For the team: set the disclosure deadline once the Agreement to Mediate stage is reached; chase
each party's gaps; and, once both have disclosed, remind that nothing is shared yet. For a party:
their own gaps in a sentence, and sharing once their disclosure has items.
"""

from __future__ import annotations

from django.urls import reverse

from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
)
from accord.finance import part  # noqa: F401  (the part must exist first)
from accord.finance.models import Disclosure, FormEPart
from accord.finance.services import DISCLOSURE_RULE, requirements_in_force


def _gap_count(case: Case, disclosure: Disclosure | None) -> int:
    if disclosure is None:
        return len(FormEPart.values)
    from django.utils import timezone

    needs = requirements_in_force(case.organisation_id, timezone.localdate())
    missing = sum(
        1 for item in disclosure.items.all() if item.part in needs and not item.evidence.exists()
    )
    return missing + len(set(FormEPart.values) - set(disclosure.parts_completed))


def disclosure_steps(case: Case) -> list[NextStep]:
    """Set the deadline, then chase each party's gaps, then share."""
    from accord.deadlines.models import Deadline

    if case.is_closed or not reached(case, "agreement"):
        return []
    url = reverse("finance:case", kwargs={"case_pk": case.pk})
    steps: list[NextStep] = []
    if not Deadline.objects.filter(case=case, rule_code=DISCLOSURE_RULE).exists():
        steps.append(NextStep("Set the deadline for financial disclosure.", "disclosure", url))
    found = {d.participant_id: d for d in Disclosure.objects.filter(case=case)}
    for party in Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"):
        disclosure = found.get(party.pk)
        gaps = _gap_count(case, disclosure)
        if gaps:
            steps.append(
                NextStep(
                    f"Chase {party.full_name}'s financial disclosure: {gaps} gap"
                    f"{'' if gaps == 1 else 's'}.",
                    "disclosure",
                    url,
                )
            )
        elif disclosure is not None and not disclosure.is_shared:
            steps.append(
                NextStep(
                    f"{party.full_name}'s disclosure is complete but not shared yet.",
                    "disclosure",
                    url,
                )
            )
    return steps


def disclosure_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The party's own disclosure: what is missing, or that it is ready to share."""
    if not participant.is_party or case.is_closed or not reached(case, "agreement"):
        return []
    disclosure = Disclosure.objects.filter(case=case, participant=participant).first()
    gaps = _gap_count(case, disclosure)
    if gaps:
        return [
            PartyAction(
                f"Complete your financial disclosure: {gaps} thing"
                f"{'s are' if gaps != 1 else ' is'} still missing.",
                "disclosure",
            )
        ]
    if disclosure is not None and not disclosure.is_shared:
        return [PartyAction("Share your financial disclosure with the other party.", "disclosure")]
    return []


register_next_steps("disclosure", disclosure_steps)
register_party_actions("disclosure", disclosure_actions)
