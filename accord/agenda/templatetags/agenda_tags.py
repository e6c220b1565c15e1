"""The agenda panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import template

from accord.agenda.models import AgendaItem, AgendaStatus
from accord.cases import policy as case_policy
from accord.cases.models import Case

register = template.Library()


def _summary(case: Case) -> dict[str, Any]:
    statuses = Counter(AgendaItem.objects.filter(case=case).values_list("status", flat=True))
    return {
        "total": sum(statuses.values()),
        "counts": [
            (label, statuses[value]) for value, label in AgendaStatus.choices if statuses[value]
        ],
    }


@register.inclusion_tag("agenda/_case_panel_body.html", takes_context=True)
def case_agenda(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """How many topics stand where, and a link to the agenda, for the case's staff."""
    user = getattr(context.get("request"), "user", None)
    if not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    return {"visible": True, "case": case, **_summary(case)}


@register.inclusion_tag("agenda/_portal_panel_body.html", takes_context=True)
def portal_agenda(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The same summary for the case's participants, linking to the portal agenda."""
    user = getattr(context.get("request"), "user", None)
    if not case_policy.can(user, "view", case):
        return {"visible": False}
    return {"visible": True, "case": case, **_summary(case)}


@register.inclusion_tag("agenda/_session_plan.html", takes_context=True)
def session_plan(context: dict[str, Any], session: Any) -> dict[str, Any]:
    """A session's plan: staff see goals and minutes against the session's length."""
    from accord.agenda.session_plan import session_plan_for
    from accord.core.errors import NotFoundOrHidden

    user = getattr(context.get("request"), "user", None)
    try:
        plan = session_plan_for(user=user, session=session)
    except NotFoundOrHidden:
        return {"visible": False}
    return {"visible": True, "plan": plan, "session": session, "case": session.case}
