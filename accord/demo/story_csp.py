"""Demo story for rooms that page their messages: in the Khan / Wright shuttle mediation,
Sarah's private room holds a long run of arrangements with the mediator (more than one page),
so "Show earlier messages" appears when it opens. Called from the Khan / Wright thread of
`data.py` on the story's days (the two days before the next session is booked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.rooms import services as rooms
from accord.rooms.models import Room

_ARRANGEMENTS = [
    ("sarah", "Can we move the next session to a Thursday? I work late on Tuesdays."),
    ("mediator", "Thursdays are possible. I can offer the 14th or the 21st, both at 10am."),
    ("sarah", "The 21st works for me. The 14th is a school inset day."),
    ("sarah", "The 21st is fine."),
    ("mediator", "Thank you: Thursday the 21st at 10am, by video as before."),
    ("sarah", "Will the link be the same as last time?"),
    ("mediator", "A new link will come by email the day before."),
    ("sarah", "Should I bring the school holiday dates?"),
    ("mediator", "Yes please: the dates for this year and next."),
    ("sarah", "I have them from the school website. I will bring them."),
    ("sarah", "Mine are from the council's list; I hope they match."),
    ("mediator", "If they differ we will check them together at the start."),
    ("sarah", "Could we also talk about the children's swimming lessons?"),
    ("mediator", "I will add it to the agenda as a new topic."),
    ("sarah", "Thank you. Saturday mornings are the problem."),
    ("mediator", "Noted. Please think about what would work before the 21st."),
    ("sarah", "I will."),
    ("sarah", "Will do."),
    ("mediator", "A reminder: the session is on Thursday at 10am."),
    ("sarah", "Thank you, I have it in my diary."),
    ("sarah", "Same here."),
    ("mediator", "The link has been emailed to you."),
    ("sarah", "Received, thank you."),
    ("sarah", "Got it."),
]


def post_room_history(
    *, room: Room, mediator: Any, later: Callable[[int], object], on: Callable[[int, str], object]
) -> None:
    """Write the arrangements in Sarah's private room on Khan / Wright, oldest first, over the
    two days before the next session is booked: ``on(days_ago, at)`` moves the story's clock to
    a day, ``later(minutes)`` on within it, so each message carries its own time."""
    if room.party is None or room.party.user is None:
        return
    half = len(_ARRANGEMENTS) // 2
    for index, (who, body) in enumerate(_ARRANGEMENTS):
        if index == 0:
            on(2, "13:05")
        elif index == half:
            on(1, "09:10")
        else:
            later(17)
        actor = mediator if who == "mediator" else room.party.user
        rooms.message_post(actor=actor, room=room, body=body)
