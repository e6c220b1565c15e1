"""The children panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.children import selectors

register = template.Library()


@register.inclusion_tag("children/_case_panel_body.html", takes_context=True)
def case_children(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The children with their ages and the flag for an offer to be heard (staff only)."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "children") or not case_policy.can(
        user, "view_workspace", case
    ):
        return {"visible": False}
    today = timezone.localdate()
    children = [
        {"child": c, "age": c.age_on(today), "flag": selectors.should_be_offered(c, today)}
        for c in selectors.children_for_staff(user=user, case=case)
    ]
    return {"visible": True, "case": case, "children": children}


@register.inclusion_tag("children/_portal_panel_body.html", takes_context=True)
def portal_children(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """A parent's link to the offers to hear their children, once there is one."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "child_inclusive"):
        return {"visible": False}
    from accord.children.schedules import schedules_for
    from accord.core.errors import NotFoundOrHidden

    offers = selectors.offers_for_party(user=user, case=case)
    waiting = [o.child_name for o in offers if not o.my_answer and not o.both_answered]
    try:
        visible_schedules = schedules_for(user=user, case=case)
    except NotFoundOrHidden:
        visible_schedules = []
    return {
        "visible": bool(offers or visible_schedules),
        "case": case,
        "offers": offers,
        "schedules": visible_schedules,
        "waiting": " and ".join(waiting),
    }
