"""Helpers for the outcome tests: agreed agenda items, and a snapshot of every outcome row."""

from __future__ import annotations

from typing import Any

from accord.agenda import services as agenda
from accord.agenda.models import AgendaItem
from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.documents.models import DocumentShare, DocumentVersion
from accord.outcomes.models import OutcomeDraft


def agreed(
    case: Case, proposer: Any, mediator: Any, title: str, wording: str, **kw: Any
) -> AgendaItem:
    """A topic proposed by `proposer` and taken to agreed by `mediator` with this wording."""
    item = agenda.agenda_item_propose(
        actor=proposer,
        case=case,
        title=title,
        topic=kw.pop("topic", "child_arrangements"),
        issue="To settle.",
        **kw,
    )
    for status in ("exploring", "options", "proposal", "agreed"):
        item = agenda.agenda_item_change_status(
            actor=mediator, item=item, to_status=status, agreed_wording=wording
        )
    return item


def family_agreed(service: Any) -> None:
    """Two agreed items on the family case: weekends (children) and the house."""
    agreed(
        service.case,
        service.parties["alice"],
        service.mediator,
        "Weekends",
        "Alternate weekends, Friday 5pm to Sunday 5pm.",
    )
    agreed(
        service.case,
        service.parties["bob"],
        service.mediator,
        "The house",
        "The house is sold and the proceeds shared equally.",
        topic="property",
    )


def civil_agreed(service: Any) -> None:
    """One agreed item on the civil case, with its supervisor set to the trainee's PPC."""
    case = service.cases["civil"]
    Case.objects.filter(pk=case.pk).update(supervisor=service.supervisor)
    case.refresh_from_db()
    agreed(
        case,
        service.parties["carol"],
        service.mediator2,
        "Unpaid invoice",
        "Acme pays the invoice in two parts.",
        topic="other",
    )


def snapshot() -> dict[str, Any]:
    """Outcome rows, document versions and shares, and the audit trail."""
    return {
        "outcomes": list(OutcomeDraft.objects.order_by("pk").values()),
        "versions": DocumentVersion.objects.count(),
        "shares": DocumentShare.objects.count(),
        "audit": AuditEvent.objects.count(),
    }
