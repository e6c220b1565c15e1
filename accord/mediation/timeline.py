"""How sessions and the mediation's status read on the case timeline (notes are never quoted)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.cases.timeline import TimelineEvent, in_words, register, register_prefix


def when(value: object) -> str:
    """An ISO date-time from event details as "3 March 2027 at 10:00" (UK time), or ""."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}"


def _session(item: TimelineEvent) -> str:
    number = item.details.get("number")
    return f"session {number}" if number else "a session"


def _booked(item: TimelineEvent) -> str:
    fmt = {"joint": "a joint session", "shuttle": "a shuttle session"}.get(
        str(item.details.get("format")), "a session"
    )
    text = f"{item.actor} booked {fmt}"
    at = when(item.details.get("starts_at"))
    if at:
        text += f" for {at}"
    people = [item.participant(pk, "") for pk in item.details.get("attendee_ids") or []]
    if any(people):
        text += f" with {in_words(people)}"
    return text


def _cancelled(item: TimelineEvent) -> str:
    if item.details.get("because") == "ended":
        return f"A booked session was cancelled because {item.actor} ended the mediation"
    return f"{item.actor} cancelled a session"


def _note(item: TimelineEvent) -> str:
    kind = str(item.details.get("kind", "")).replace("_", " ")
    return f"{item.actor} added a {kind + ' ' if kind else ''}note to a session"


register_prefix("mediation.", "sessions")
register("mediation.session_booked", "sessions", _booked)
register("mediation.session_cancelled", "sessions", _cancelled)


def _moved(item: TimelineEvent) -> str:
    before, after = when(item.details.get("from")), when(item.details.get("starts_at"))
    text = f"{item.actor} moved a session"
    if before and after:
        return f"{text} from {before} to {after}"
    return f"{text} to {after}" if after else text


register("mediation.session_moved", "sessions", _moved)
register("mediation.session_started", "sessions", lambda i: f"{i.actor} started {_session(i)}")
register(
    "mediation.attendance_recorded",
    "sessions",
    lambda i: f"{i.actor} recorded who attended a session",
)
register("mediation.session_held", "sessions", lambda i: f"{i.actor} ended {_session(i)}")
register("mediation.note_added", "sessions", _note)
register("mediation.paused", "sessions", lambda i: f"{i.actor} paused the mediation")
register("mediation.ended", "sessions", lambda i: f"{i.actor} ended the mediation")
register("mediation.reopened", "sessions", lambda i: f"{i.actor} reopened the mediation")
