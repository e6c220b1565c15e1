"""What is next on a case, for the staff workspace: `{% case_next_steps case %}`."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases.models import Case
from accord.cases.progress import next_steps

register = template.Library()


@register.inclusion_tag("cases/includes/next_steps.html", takes_context=True)
def case_next_steps(context: Any, case: Case) -> dict[str, Any]:
    """The case team's next steps worked out from the case's records, urgent first.

    Screening and safeguarding steps are shown only to the signed-in user if they may read those
    records.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {"case": case, "steps": next_steps(case, user=user)}
