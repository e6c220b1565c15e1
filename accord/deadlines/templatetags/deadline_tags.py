"""Template tags that drop deadline panels into pages other apps own (dashboard, case, portal).

Each tag calls the deadline selector for the signed-in user, so the page's own view does not need
to know about deadlines, and renders an include template:
    {% load deadline_tags %}
    {% deadlines_panel %}                 staff dashboard: overdue and due in the next 7 days
    {% case_deadlines case %}             case workspace: the case's deadlines, meet and waive
    {% portal_deadlines case %}           participant portal: only deadlines shared with them
"""

from __future__ import annotations

from typing import Any

from django import template

from accord.deadlines import policy
from accord.deadlines.selectors import (
    deadlines_for_case,
    deadlines_for_dashboard,
    deadlines_for_participant,
)

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("deadlines/_panel.html", takes_context=True)
def deadlines_panel(context: template.Context) -> dict[str, Any]:
    """The dashboard panel of overdue deadlines and those due in the next 7 days."""
    user = _user(context)
    return {"panel": deadlines_for_dashboard(user), "request": context.get("request")}


@register.inclusion_tag("deadlines/_case_deadlines.html", takes_context=True)
def case_deadlines(context: template.Context, case: Any) -> dict[str, Any]:
    """A case's deadlines with meet and waive buttons where the user may use them."""
    user = _user(context)
    request = context.get("request")
    return {
        "case": case,
        "rows": deadlines_for_case(user, case),
        "can_add": policy.can_manage_on_case(user, case, "case"),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "",
        "request": request,
    }


@register.inclusion_tag("deadlines/_portal_deadlines.html", takes_context=True)
def portal_deadlines(context: template.Context, case: Any) -> dict[str, Any]:
    """The deadlines shared with the signed-in participant on their case."""
    return {"deadlines": deadlines_for_participant(_user(context), case)}
