"""How the agenda's events read on the case timeline."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix


def _proposed(item: TimelineEvent) -> str:
    topic = str(item.details.get("topic") or "").replace("_", " ")
    about = f" about {topic}" if topic and topic != "other" else ""
    return f"{item.actor} proposed an agenda item{about}"


def _status(item: TimelineEvent) -> str:
    to = str(item.details.get("to") or "").replace("_", " ")
    return (
        f"{item.actor} marked an agenda item {to}" if to else f"{item.actor} changed an agenda item"
    )


def _priority(item: TimelineEvent) -> str:
    return f"{item.actor} recorded {item.participant()}'s priority for an agenda item"


register_prefix("agenda.", "agenda")
register("agenda.item_proposed", "agenda", _proposed)
register("agenda.item_reordered", "agenda", lambda i: f"{i.actor} reordered the agenda")
register("agenda.item_status_changed", "agenda", _status)
register("agenda.option_added", "agenda", lambda i: f"{i.actor} added an option to an agenda item")
register("agenda.priority_set", "agenda", _priority)
register(
    "agenda.item_children_marked",
    "agenda",
    lambda i: f"{i.actor} marked whether an agenda item touches the children",
)
