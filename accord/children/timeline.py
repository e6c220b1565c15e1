"""The children parts on the case timeline: never notes, feedback or one parent's answer."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix
from accord.children import part  # noqa: F401  (the parts must exist first)


def _answered(item: TimelineEvent) -> str:
    text = f"{item.participant()} answered the offer to hear a child"
    outcome = item.details.get("outcome")
    if outcome == "consented":
        return f"{text}; both parents have consented"
    if outcome == "declined":
        return f"{text}; both have answered and the offer is declined"
    return text


def _recorded(item: TimelineEvent) -> str:
    verb = "recorded" if item.details.get("first") else "updated"
    return f"{item.actor} {verb} the child meeting (its notes are private)"


def _imported(item: TimelineEvent) -> str:
    count = int(item.details.get("count") or 0)
    return f"{item.actor} recorded {count} child{'ren' if count != 1 else ''} from the enquiry"


register_prefix("children.", "children")
register("children.child_added", "children", lambda i: f"{i.actor} recorded a child of the case")
register("children.child_updated", "children", lambda i: f"{i.actor} corrected a child's record")
register("children.children_imported", "children", _imported)
register(
    "children.consultant_set",
    "children",
    lambda i: f"{i.actor} updated a mediator's child-inclusive training",
)
register(
    "children.offer_made",
    "child_inclusive",
    lambda i: f"{i.actor} offered a child aged {i.details.get('age')} a chance to be heard",
)
register("children.consent_answered", "child_inclusive", _answered)
register(
    "children.consultant_assigned",
    "child_inclusive",
    lambda i: f"{i.actor} assigned the child consultant who meets the child",
)
register(
    "children.meeting_booked",
    "child_inclusive",
    lambda i: f"{i.actor} booked the child meeting; {i.participant()} brings the child",
)
register("children.meeting_recorded", "child_inclusive", _recorded)
register(
    "children.feedback_shared",
    "child_inclusive",
    lambda i: f"{i.actor} shared the feedback the child approved with the parents",
)
register(
    "children.concern_raised",
    "child_inclusive",
    lambda i: f"{i.actor} raised a safeguarding concern from the child meeting",
)
register(
    "children.schedule_saved",
    "schedules",
    lambda i: f"{i.actor} saved the schedule “{i.details.get('name', '')}”",
)
register("children.schedule_agreed", "schedules", lambda i: f"{i.actor} marked a schedule agreed")
register(
    "children.estimate_made",
    "maintenance",
    lambda i: f"{i.actor} made a child maintenance estimate",
)
register(
    "children.estimate_agreed",
    "maintenance",
    lambda i: f"{i.actor} marked a child maintenance figure agreed",
)
# Service settings, not case events; registered so that the service's own history reads in words.
register(
    "children.term_added",
    "schedules",
    lambda i: (
        f"{i.actor} added a school term ({i.details.get('start', '')} to "
        f"{i.details.get('end', '')})"
    ),
)
register("children.term_removed", "schedules", lambda i: f"{i.actor} removed a school term")
