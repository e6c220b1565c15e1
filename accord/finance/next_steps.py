"""Financial disclosure in "what is next": gaps to chase, disclosure to share, a deadline to set.

For the team: set the disclosure deadline once the Agreement to Mediate stage is reached; chase
each party's gaps; and, once both have disclosed, remind that nothing is shared yet. For a party:
their own gaps in a sentence, and sharing once their disclosure has items.
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


def disclosure_words(case: Case, mine: list[Participant]) -> str:
    """One sentence for the portal's "Where it has got to" on a finance case: the reader's
    disclosure due, shared, the other party's shared, or the Open Financial Statement issued.
    Empty where the disclosure part does not apply, or before the Agreement to Mediate stage
    while nobody has disclosed and no deadline is set. Only facts this reader may know: their
    own deadline and sharing, and whether the other party has shared (their disclosure is open
    information once shared)."""
    from accord.cases.progress import part_applies
    from accord.deadlines.models import Deadline, DeadlineStatus
    from accord.documents.models import DocumentShare
    from accord.finance.statement import STATEMENT_CODE

    parties = [p for p in mine if p.is_party]
    if not parties or case.is_closed or not part_applies(case, "disclosure"):
        return ""
    started = (
        Disclosure.objects.filter(case=case).exists()
        or Deadline.objects.filter(case=case, rule_code=DISCLOSURE_RULE).exists()
    )
    if not started and not reached(case, "agreement"):
        return ""
    issued = (
        DocumentShare.objects.filter(
            participant__in=parties, version__document__code=STATEMENT_CODE
        )
        .order_by("-shared_at")
        .first()
    )
    if issued is not None:
        return (
            "The Open Financial Statement was issued to you on "
            f"{timezone.localtime(issued.shared_at):%-d %B %Y}."
        )
    found = {d.participant_id: d for d in Disclosure.objects.filter(case=case)}
    own = found.get(parties[0].pk)
    others = [d for pid, d in found.items() if pid not in {p.pk for p in parties}]
    other_shared = any(d.is_shared for d in others)
    if own is not None and own.is_shared:
        shared_on = f"{timezone.localtime(own.shared_at):%-d %B %Y}" if own.shared_at else ""
        return (
            f"You shared your financial disclosure{' on ' + shared_on if shared_on else ''}; "
            + (
                "the other person has shared theirs too."
                if other_shared
                else "the other person has not shared theirs yet."
            )
        )
    deadline = (
        Deadline.objects.filter(
            case=case,
            rule_code=DISCLOSURE_RULE,
            concerns_participant__in=parties,
            status=DeadlineStatus.OPEN,
        )
        .order_by("due_at")
        .first()
    )
    due = f" It is due by {timezone.localtime(deadline.due_at):%-d %B %Y}." if deadline else ""
    also = " The other person has shared theirs." if other_shared else ""
    return f"Your financial disclosure is not shared yet.{due}{also}"
