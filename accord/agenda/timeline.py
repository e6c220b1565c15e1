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


def _proposal(item: TimelineEvent) -> str:
    kind = "a counter-proposal" if item.details.get("counter_to") else "a proposal"
    if item.details.get("by_mediator"):
        return f"{item.actor} put {kind} on an agenda item for {item.participant()}"
    return f"{item.actor} made {kind} on an agenda item"


def _answer(item: TimelineEvent) -> str:
    words = {"accept": "accepted", "reject": "rejected", "counter": "countered"}
    verb = words.get(str(item.details.get("answer")), "answered")
    return f"{item.actor} {verb} a proposal on an agenda item"


register("agenda.proposal_made", "agenda", _proposal)
register("agenda.proposal_answered", "agenda", _answer)
register(
    "agenda.proposal_relayed",
    "agenda",
    lambda i: f"{i.actor} relayed a proposal to the other party",
)
register(
    "agenda.proposal_answer_relayed",
    "agenda",
    lambda i: f"{i.actor} passed an answer to a proposal back to the party who made it",
)
register(
    "agenda.proposal_accepted",
    "agenda",
    lambda i: "A proposal was accepted and became the item's agreed wording",
)
register(
    "agenda.session_planned", "agenda", lambda i: f"{i.actor} planned a session from the agenda"
)
