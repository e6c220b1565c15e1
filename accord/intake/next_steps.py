"""The enquiry's part in "what is next": a conflict check still to record."""

from __future__ import annotations

from django.urls import reverse

from accord.cases.models import Case
from accord.cases.progress import NextStep, reached, register_next_steps
from accord.intake.models import Enquiry


def conflict_check_steps(case: Case) -> list[NextStep]:
    """Record the conflict check, while the case has an enquiry without one and has not moved on."""
    enquiry = Enquiry.objects.filter(case=case).only("conflict_decision").first()
    if enquiry is None or enquiry.conflict_decision:
        return []
    # A case already past its enquiry was checked another way (opened by staff, moved by hand).
    if case.stage != case.workflow.first.code or reached(case, "agreement"):
        return []
    return [
        NextStep(
            text="Run the conflict check and record the decision.",
            part="conflict_check",
            url=reverse("intake:conflict_decision", kwargs={"case_pk": case.pk}),
            comes_first=True,
        )
    ]


register_next_steps("conflict_check", conflict_check_steps)
