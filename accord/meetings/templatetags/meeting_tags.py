"""The MIAM panel shown in the staff case workspace."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.meetings import selectors

register = template.Library()


@register.inclusion_tag("meetings/_case_miams_body.html", takes_context=True)
def case_miams(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The case's MIAMs, with booking and recording links for those who may change the case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "miams": list(selectors.miam_list_for(user=user, case=case)),
        "can_change": case_policy.can(user, "change", case),
    }
