"""The conflict-check panel shown in the staff case workspace, and a service's form links."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy
from accord.cases.models import Case
from accord.intake.forms import ConflictDecisionForm
from accord.intake.models import Issue
from accord.intake.offer import form_choices
from accord.intake.selectors import CONFLICT_SHOWN, conflict_summary, enquiry_for_case
from accord.organisations.models import Organisation

register = template.Library()


@register.inclusion_tag("intake/_conflict_panel_body.html", takes_context=True)
def conflict_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Matches in other cases the user may open, and the decision form for those who may act."""
    request = context.get("request")
    user = getattr(request, "user", None)
    enquiry = enquiry_for_case(user=user, case=case)
    if enquiry is None:
        return {"enquiry": None}
    can_decide = policy.can(user, "change", case)
    show_all = getattr(request, "GET", {}).get("conflicts") == "all"
    summary = conflict_summary(user=user, case=case, limit=None if show_all else CONFLICT_SHOWN)
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query["conflicts"] = "all"
    return {
        "case": case,
        "enquiry": enquiry,
        "issue_labels": [Issue(code).label for code in enquiry.issues if code in Issue.values],
        "matches": summary.shown,
        "summary": summary,
        "show_all_url": f"?{query.urlencode()}#conflict-check" if query is not None else "",
        "can_decide": can_decide,
        "form": ConflictDecisionForm() if can_decide else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("intake/_form_links.html")
def enquiry_form_links(organisation: Organisation) -> dict[str, Any]:
    """Links to the public enquiry forms of a service, one per kind (or group) it offers."""
    return {"organisation": organisation, "choices": form_choices(organisation.kinds_offered)}
