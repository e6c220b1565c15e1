"""How financial disclosure reads on the case timeline: what was done, never a figure."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.finance import part  # noqa: F401  (the part must exist first)
from accord.finance.models import FormEPart

_PARTS = dict(FormEPart.choices)


def _for(item: TimelineEvent) -> str:
    return f" for {item.participant()}" if item.details.get("by_mediator") else ""


def _whose(item: TimelineEvent) -> str:
    return f"{item.participant()}'s" if item.details.get("by_mediator") else "their"


def _part(item: TimelineEvent) -> str:
    return _PARTS.get(str(item.details.get("part", "")), "disclosure").lower()


def _added(item: TimelineEvent) -> str:
    return f"{item.actor} added an item to {_whose(item)} disclosure ({_part(item)})"


def _changed(item: TimelineEvent) -> str:
    return f"{item.actor} corrected an item of {_whose(item)} disclosure ({_part(item)})"


def _removed(item: TimelineEvent) -> str:
    return f"{item.actor} removed an item from {_whose(item)} disclosure ({_part(item)})"


def _completed(item: TimelineEvent) -> str:
    return f"{item.actor} marked “{_part(item)}” complete in {_whose(item)} disclosure"


def _reopened(item: TimelineEvent) -> str:
    return f"{item.actor} reopened “{_part(item)}” in {_whose(item)} disclosure"


def _shared(item: TimelineEvent) -> str:
    again = "" if item.details.get("first", True) else " again"
    return f"{item.actor} shared {_whose(item)} financial disclosure with the other party{again}"


def _uploaded(item: TimelineEvent) -> str:
    return f"{item.actor} uploaded evidence{_for(item)}"


def _seen(item: TimelineEvent) -> str:
    return f"{item.actor} marked a piece of financial evidence seen"


def _requirement(item: TimelineEvent) -> str:
    return f"{item.actor} changed the evidence needed for {_part(item)}"


def _statement(item: TimelineEvent) -> str:
    return f"{item.actor} issued the Open Financial Statement (PDF and Word) to both parties"


def _scenario(item: TimelineEvent) -> str:
    return f"{item.actor} built a financial scenario"


def _scenario_shared(item: TimelineEvent) -> str:
    if item.details.get("audience") == "private":
        return f"{item.actor} shared a financial scenario privately with {item.participant()}"
    return f"{item.actor} shared a financial scenario with both parties"


def _scenario_mou(item: TimelineEvent) -> str:
    return f"{item.actor} carried a financial scenario into the MoU draft"


def _rated(item: TimelineEvent) -> str:
    return f"{item.actor} rated the shared items (the ratings are private)"


def _settings(item: TimelineEvent) -> str:
    return f"{item.actor} changed how many points parties spread when rating"


def _pack(item: TimelineEvent) -> str:
    return f"{item.actor} prepared the consent-order pack"


def _pack_sent(item: TimelineEvent) -> str:
    whose = item.participant()
    return f"{item.actor} recorded that the consent-order pack went to {whose}'s solicitor"


register_prefix("finance.", "disclosure")
register("finance.consent_pack_prepared", "disclosure", _pack)
register("finance.consent_pack_sent", "disclosure", _pack_sent)
register("finance.items_rated", "disclosure", _rated)
register("finance.settings_changed", "disclosure", _settings)
register("finance.scenario_created", "disclosure", _scenario)
register("finance.scenario_shared", "disclosure", _scenario_shared)
register("finance.scenario_to_mou", "disclosure", _scenario_mou)
register("finance.statement_issued", "disclosure", _statement)
register("finance.item_added", "disclosure", _added)
register("finance.item_changed", "disclosure", _changed)
register("finance.item_removed", "disclosure", _removed)
register("finance.part_completed", "disclosure", _completed)
register("finance.part_reopened", "disclosure", _reopened)
register("finance.disclosure_shared", "disclosure", _shared)
register("finance.evidence_uploaded", "disclosure", _uploaded)
register("finance.evidence_seen", "disclosure", _seen)
register("finance.requirement_added", "disclosure", _requirement)
