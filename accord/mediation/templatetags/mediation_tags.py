"""The mediation panels: the staff case workspace and the party's portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.mediation import selectors, services
from accord.mediation.models import MediationState, SessionStatus

register = template.Library()


@register.inclusion_tag("mediation/_case_panel_body.html", takes_context=True)
def case_mediation(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Sessions, the mediation's status and its figures, with buttons for those who may act."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    status = selectors.status_for(user=user, case=case)
    state = status.state if status else MediationState.ACTIVE
    sessions = list(selectors.session_list_for(user=user, case=case))
    held = sum(1 for s in sessions if s.status == SessionStatus.HELD)
    return {
        "visible": True,
        "case": case,
        "sessions": sessions,
        "status": status,
        "state": state,
        # With no status row nothing was ever paused, ended or reopened: no query needed.
        "history": selectors.status_history_for(user=user, case=case) if status else [],
        "metrics": selectors.metrics_from(case=case, sessions_held=held, status=status),
        "can_change": case_policy.can(user, "change", case) and not case.is_closed,
        "can_decide": services.is_case_mediator(user, case)
        and case_policy.can(user, "change", case),
    }


@register.inclusion_tag("mediation/_portal_panel_body.html", takes_context=True)
def portal_mediation(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """A party's upcoming sessions and the case's shared summaries; never a private note."""
    request = context.get("request")
    user = getattr(request, "user", None)
    mine = selectors.portal_participants(user, case)
    if not mine:
        return {"upcoming": [], "summaries": []}
    return {
        "upcoming": selectors.upcoming_for_party(user=user, case=case, mine=mine),
        "summaries": list(selectors.notes_for(user=user, case=case, mine=mine)),
    }
