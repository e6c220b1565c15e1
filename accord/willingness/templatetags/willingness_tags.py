"""The willingness panel shown in the staff case workspace."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.willingness import selectors

register = template.Library()


@register.inclusion_tag("willingness/_case_panel_body.html", takes_context=True)
def case_willingness(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The state, invitations (with answers) and contact attempts, for the case's staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    can_view = case_policy.can(user, "view_workspace", case)
    invitations = list(selectors.invitations_for(user=user, case=case)) if can_view else []
    latest = invitations[0] if invitations else None
    emails = selectors.invitation_email_states(invitations)
    for invitation in invitations:
        # For the template only: the outbox row of its email, or None for a letter.
        invitation.outbox_email = emails.get(invitation.pk)  # type: ignore[attr-defined]
    return {
        "case": case,
        "can_view": can_view,
        # The latest invitation is the first one listed: no second query for the state.
        "state": selectors.WillingnessState(code=selectors.state_code(latest), latest=latest),
        "invitations": invitations,
        "court_orders": list(selectors.court_orders_for(user=user, case=case)) if can_view else [],
        "attempts": list(selectors.contact_attempts_for(user=user, case=case)) if can_view else [],
        "can_change": can_view and case_policy.can(user, "change", case),
    }
