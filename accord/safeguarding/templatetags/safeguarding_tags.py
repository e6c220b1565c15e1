"""The safeguarding panel shown in the staff case workspace."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases.models import Case
from accord.safeguarding import policy
from accord.safeguarding.models import ConcernStatus, SafeguardingConcern

register = template.Library()


@register.inclusion_tag("safeguarding/_case_panel_body.html", takes_context=True)
def safeguarding_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Raise-a-concern for all staff on the case; the record's link for the restricted audience."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_read = policy.can_read_records(user, case)
    open_count = 0
    if can_read:
        open_count = (
            SafeguardingConcern.objects.filter(policy.records_filter(user), case=case)
            .exclude(status=ConcernStatus.CLOSED)
            .count()
        )
    return {
        "case": case,
        "can_raise": policy.can_raise_concern(user, case),
        "can_read": can_read,
        "open_count": open_count,
    }
