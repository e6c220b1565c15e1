"""The written outcomes panels: the staff case workspace and the participant's portal page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.outcomes import selectors, services
from accord.outcomes.models import OutcomeKind, OutcomeStatus, kinds_for_case

register = template.Library()


@register.inclusion_tag("outcomes/_case_panel_body.html", takes_context=True)
def case_outcomes(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The case's outcomes and, for its mediators, buttons to start the kinds not yet begun."""
    user = getattr(context.get("request"), "user", None)
    if not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    outcomes = list(selectors.outcomes_for(user=user, case=case))
    live = {o.kind for o in outcomes if o.status != OutcomeStatus.WITHDRAWN}
    can_start = services.is_case_mediator(user, case) and not case.is_paused
    return {
        "visible": True,
        "case": case,
        "outcomes": [o for o in outcomes if o.status != OutcomeStatus.WITHDRAWN],
        "startable": [
            (kind, OutcomeKind(kind).label)
            for kind in kinds_for_case(case.kind)
            if kind not in live
        ]
        if can_start
        else [],
    }


@register.inclusion_tag("outcomes/_portal_panel_body.html", takes_context=True)
def portal_outcomes(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Outcome versions shared with the signed-in participant: current, then superseded."""
    user = getattr(context.get("request"), "user", None)
    return {"case": case, "items": selectors.portal_outcomes(user=user, case=case)}
