"""The SEND panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.send import selectors
from accord.send.models import SendRecord

register = template.Library()


@register.inclusion_tag("send/_case_panel_body.html", takes_context=True)
def case_send(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The SEND record in brief, for the case's staff (never the call log)."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "send") or not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    return {
        "visible": True,
        "case": case,
        "record": SendRecord.objects.filter(case=case).first(),
    }


@register.inclusion_tag("send/_portal_panel_body.html", takes_context=True)
def portal_send(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The family's view: the decision, agreed actions with status and due date, the appeal
    deadline."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "send"):
        return {"visible": False}
    view = selectors.portal_view(user=user, case=case)
    return {"visible": view is not None, "view": view, "case": case}
