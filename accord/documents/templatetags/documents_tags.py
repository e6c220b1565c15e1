"""Document lists for the staff case workspace and the participant's portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases.models import Case
from accord.documents import selectors

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("documents/_case_documents_body.html", takes_context=True)
def case_documents(context: Any, case: Case) -> dict[str, Any]:
    """Every document of the case and its versions, for staff who may see the workspace."""
    return {"case": case, "documents": selectors.case_documents(user=_user(context), case=case)}


@register.inclusion_tag("documents/_portal_documents_body.html", takes_context=True)
def portal_documents(context: Any, case: Case) -> dict[str, Any]:
    """The document versions shared with the signed-in participant."""
    return {"case": case, "shares": selectors.portal_documents(user=_user(context), case=case)}
