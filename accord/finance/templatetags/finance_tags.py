"""Money in pounds for templates, and the disclosure panels of the workspace and the portal."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.cases.progress import part_applies
from accord.core.errors import NotFoundOrHidden
from accord.finance import selectors
from accord.finance.money import pence_to_pounds

register = template.Library()


@register.filter
def pounds(pence: Any) -> str:
    """123450 → "£1,234.50"."""
    try:
        return pence_to_pounds(int(pence))
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("finance/_case_panel_body.html", takes_context=True)
def case_disclosure(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Each party's totals, gaps and whether shared, for the case's staff."""
    user = getattr(context.get("request"), "user", None)
    if not part_applies(case, "disclosure") or not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    return {
        "visible": True,
        "case": case,
        "disclosures": selectors.disclosures_for(user=user, case=case),
    }


@register.inclusion_tag("finance/_portal_panel_body.html", takes_context=True)
def portal_disclosure(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The party's own disclosure in a line, and whether the other party has shared theirs."""
    user = getattr(context.get("request"), "user", None)
    if not part_applies(case, "disclosure") or selectors.reader_party(user, case) is None:
        return {"visible": False}
    try:
        disclosures = selectors.disclosures_for(user=user, case=case)
    except NotFoundOrHidden:
        return {"visible": False}
    return {
        "visible": True,
        "case": case,
        "mine": [d for d in disclosures if d.live],
        "theirs": [d for d in disclosures if not d.live],
    }
