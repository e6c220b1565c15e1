"""Safeguarding in "what is next": open concerns and a paused case, for the restricted audience.

Every step here is `restricted`: only the case's mediators, supervisor and safeguarding lead see
them. Parties are never told of safeguarding records, so there are no party actions.
"""

from __future__ import annotations

from django.urls import reverse

from accord.cases.models import Case
from accord.cases.progress import NextStep, register_next_steps
from accord.safeguarding.models import CaseHold, ConcernStatus, SafeguardingConcern


def safeguarding_steps(case: Case) -> list[NextStep]:
    """A pause to decide on, and each open concern's next decision, all urgent and restricted."""
    steps: list[NextStep] = []
    hold = CaseHold.objects.filter(case=case, decision="").order_by("-paused_at").first()
    if hold is not None:
        steps.append(
            NextStep(
                "The case is paused for a safeguarding investigation: decide whether to resume "
                "or end it once the investigation reports.",
                "safeguarding",
                reverse("safeguarding:hold_decide", kwargs={"case_pk": case.pk}),
                urgent=True,
                restricted=True,
            )
        )
    concerns = (
        SafeguardingConcern.objects.filter(case=case)
        .exclude(status=ConcernStatus.CLOSED)
        .prefetch_related("threshold_decisions")
        .order_by("raised_at", "id")
    )
    for concern in concerns:
        url_kwargs = {"case_pk": case.pk, "concern_pk": concern.pk}
        raised = f"{concern.raised_at.day} {concern.raised_at:%B}"
        if not concern.threshold_decisions.all():
            steps.append(
                NextStep(
                    f"Safeguarding concern raised on {raised}: make the threshold decision.",
                    "safeguarding",
                    reverse("safeguarding:decide", kwargs=url_kwargs),
                    urgent=True,
                    restricted=True,
                )
            )
        else:
            steps.append(
                NextStep(
                    f"Safeguarding concern raised on {raised} is still open: follow it up or "
                    "close it.",
                    "safeguarding",
                    reverse("safeguarding:concern", kwargs=url_kwargs),
                    urgent=True,
                    restricted=True,
                )
            )
    return steps


register_next_steps("safeguarding", safeguarding_steps)
