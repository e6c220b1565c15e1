"""The rooms panels of the staff case workspace and of the portal case page."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases.models import Case
from accord.rooms import policy, selectors

register = template.Library()


def _user(context: dict[str, Any]) -> Any:
    return getattr(context.get("request"), "user", None)


@register.inclusion_tag("rooms/_case_rooms.html", takes_context=True)
def case_rooms(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The rooms with unread counts for the case's mediators; that they exist, for other staff."""
    user = _user(context)
    return {
        "case": case,
        "rooms": selectors.rooms_for(user=user, case=case),
        "url_prefix": "rooms:staff_",
        "is_mediator": policy.is_room_mediator(user, case),
    }


@register.inclusion_tag("rooms/_portal_rooms.html", takes_context=True)
def portal_rooms(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """A party's joint room and own private room, with unread counts; nothing for others."""
    from accord.mediation import gate
    from accord.mediation.suitability import gate_facts

    user = _user(context)
    rooms = selectors.rooms_for(user=user, case=case)
    closed = {}
    if rooms:
        # What the suitability decision allows, in neutral words (never its grounds).
        facts = gate_facts(case)
        closed = {
            kind: gate.room_verdict(facts, kind, is_staff=False).reason
            for kind in ("joint", "private")
        }
    return {
        "case": case,
        "rooms": rooms,
        "url_prefix": "rooms:portal_",
        "is_mediator": False,
        "joint_closed": closed.get("joint", ""),
        "private_closed": closed.get("private", ""),
    }
