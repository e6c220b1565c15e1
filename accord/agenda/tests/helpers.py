"""Helpers for the agenda tests: the family case's parties, items, and a snapshot of everything."""

from __future__ import annotations

from typing import Any

from accord.agenda import services
from accord.agenda.models import AgendaItem, AgendaItemEvent, AgendaOption, AgendaPriority
from accord.audit.models import AuditEvent
from accord.cases.models import Participant


def party(service: Any, name: str = "Alice Smith") -> Participant:
    """One of the family case's parties."""
    return Participant.objects.get(case=service.case, full_name=name)


def propose(service: Any, who: Any = None, **overrides: Any) -> AgendaItem:
    """Alice (or `who`) proposes a topic on the family case."""
    data: dict[str, Any] = {
        "actor": who or service.parties["alice"],
        "case": service.case,
        "title": "Weekends",
        "topic": "child_arrangements",
        "issue": "Which weekends the children spend where.",
        "view": "Alternate weekends would work.",
        "hopes": "A settled routine.",
    }
    data.update(overrides)
    return services.agenda_item_propose(**data)


def move(service: Any, item: AgendaItem, *statuses: str, wording: str = "") -> AgendaItem:
    """The lead mediator moves an item through the given statuses in turn."""
    for status in statuses:
        item = services.agenda_item_change_status(
            actor=service.mediator, item=item, to_status=status, agreed_wording=wording
        )
    return item


def agree(
    service: Any, item: AgendaItem, wording: str = "Alternate weekends, Friday to Sunday."
) -> AgendaItem:
    """Take an item from open to agreed with this wording."""
    return move(service, item, "exploring", "options", "proposal", "agreed", wording=wording)


def snapshot() -> dict[str, Any]:
    """Every agenda row and the audit trail: what a refused change must leave untouched."""
    return {
        "items": list(AgendaItem.objects.order_by("pk").values()),
        "events": list(AgendaItemEvent.objects.order_by("pk").values()),
        "options": list(AgendaOption.objects.order_by("pk").values()),
        "priorities": list(AgendaPriority.objects.order_by("pk").values()),
        "audit": AuditEvent.objects.count(),
    }
