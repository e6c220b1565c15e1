"""The words of reminder emails, chosen per recipient so nobody learns what they may not see.

Staff emails name the case by reference only (case titles often hold the parties' names) and say
nothing a recipient could not see on screen; restricted deadlines keep a neutral subject line.
Participant emails name only the service, their own case reference and the deadline shared with
them: never another participant, never the case team's notes, never a restricted matter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from accord.calendar import LONDON
from accord.deadlines import conf
from accord.deadlines.models import Deadline, DeadlineStatus, Reminder, ReminderKind


@dataclass(frozen=True)
class RenderedEmail:
    """Subject and plain-text body of one email."""

    subject: str
    body: str


def describe_moment(moment: dt.datetime) -> str:
    """A due moment as people say it: "17:00 on Monday 30 March 2026" (Europe/London)."""
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def _link(path_name: str, query: str = "") -> str:
    base = conf.site_url()
    if not base:
        return ""
    try:
        path = reverse(path_name)
    except NoReverseMatch:
        return base + "/"
    return f"{base}{path}{query}"


def _first_name(user: Any) -> str:
    name = (getattr(user, "full_name", "") or "").strip()
    return name.split(" ")[0] if name else "colleague"


def render_staff_reminder(reminder: Reminder) -> RenderedEmail:
    """The reminder a member of staff receives (owner, supervisor or senior colleague)."""
    deadline: Deadline = reminder.deadline
    case = deadline.case
    reference = case.reference
    due_text = describe_moment(deadline.due_at)
    restricted = deadline.is_restricted
    missed = deadline.status == DeadlineStatus.MISSED
    if reminder.kind == ReminderKind.BEFORE:
        subject = f"Deadline coming up on {reference}"
        intro = f"A deadline you own on case {reference} falls due at {due_text}."
    elif reminder.kind == ReminderKind.DUE and not missed:
        subject = f"Deadline due now on {reference}"
        intro = f"A deadline you own on case {reference} falls due at {due_text}."
    elif reminder.kind == ReminderKind.DUE:
        subject = f"Deadline passed on {reference}"
        intro = f"A deadline you own on case {reference} passed at {due_text} and is marked missed."
    else:
        subject = f"Missed deadline on {reference}"
        intro = (
            f"A deadline on case {reference} was missed at {due_text}. You are told because you "
            "supervise the case or the service."
        )
    if not restricted:
        subject = f"{subject}: {deadline.title}"[:300]
    local_due = deadline.due_at.astimezone(LONDON)
    body = render_to_string(
        "deadlines/email/reminder_staff.txt",
        {
            "recipient_name": _first_name(reminder.recipient),
            "intro": intro,
            "deadline": deadline,
            "case": case,
            "service": case.organisation,
            "due_text": due_text,
            "owner_name": str(deadline.owner),
            "rule": deadline.rule,
            "reason": deadline.resolution_note if reminder.kind == ReminderKind.ESCALATION else "",
            "link": _link("deadlines:calendar", f"?month={local_due:%Y-%m}"),
        },
    )
    return RenderedEmail(subject=subject, body=body)


def render_participant_reminder(reminder: Reminder) -> RenderedEmail:
    """The reminder a participant receives about a deadline shared with them."""
    deadline: Deadline = reminder.deadline
    case = deadline.case
    participant = deadline.concerns_participant
    name = participant.full_name if participant is not None else ""
    body = render_to_string(
        "deadlines/email/reminder_participant.txt",
        {
            "recipient_name": name or "Sir or Madam",
            "deadline": deadline,
            "case": case,
            "service": case.organisation,
            "due_text": describe_moment(deadline.due_at),
            "link": _link("portal:home"),
        },
    )
    return RenderedEmail(subject=f"A reminder from {case.organisation.name}"[:300], body=body)
