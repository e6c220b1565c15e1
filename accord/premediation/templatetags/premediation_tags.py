"""The pre-mediation panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.premediation import selectors
from accord.premediation.models import PreMediationMeeting

register = template.Library()


@register.inclusion_tag("premediation/_case_panel_body.html", takes_context=True)
def case_premediation(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """How many meetings are booked and held, for the case's staff (no notes)."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "premediation") or not case_policy.can(
        user, "view_workspace", case
    ):
        return {"visible": False}
    meetings = list(PreMediationMeeting.objects.filter(case=case).select_related("participant"))
    return {"visible": True, "case": case, "meetings": meetings}


@register.inclusion_tag("premediation/_portal_panel_body.html", takes_context=True)
def portal_premediation(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The party's own pre-mediation bookings: when, how and where; never the notes."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "premediation"):
        return {"visible": False}
    meetings = selectors.meetings_for_party(user=user, case=case)
    return {"visible": bool(meetings), "meetings": meetings, "case": case}
