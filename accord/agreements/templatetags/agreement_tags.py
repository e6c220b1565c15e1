"""The Agreement to Mediate panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.agreements import selectors
from accord.agreements.gate import AGREEMENT
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.documents.models import DocumentVersion

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("agreements/_case_panel_body.html", takes_context=True)
def case_agreement(context: Any, case: Case) -> dict[str, Any]:
    """Who has signed and who is still to sign, with the team's tools, for the case's staff."""
    user = _user(context)
    if not case_policy.can(user, "view_workspace", case):
        return {"case": case, "view": None}
    view = selectors.agreement_for(user=user, case=case)
    latest_pdf = None
    if view.state is not None:
        latest_pdf = (
            DocumentVersion.objects.filter(
                document__case=case, document__code=view.state.packet.document_code
            )
            .order_by("-number")
            .first()
        )
    return {
        "case": case,
        "view": view,
        "latest_pdf": latest_pdf,
        "can_change": case_policy.can(user, "change", case),
    }


@register.inclusion_tag("agreements/_portal_panel_body.html", takes_context=True)
def portal_agreement(context: Any, case: Case) -> dict[str, Any]:
    """The signed-in participant's own signing status and whether everyone has signed."""
    user = _user(context)
    try:
        view = selectors.agreement_for(user=user, case=case)
    except NotFoundOrHidden:
        return {"case": case, "view": None, "others": []}
    # Other documents to sign (outcome documents, say) that this person is asked to sign.
    others = [p for p in selectors.packets_to_sign_for(user, case) if p.purpose != AGREEMENT]
    return {"case": case, "view": view, "others": others}
