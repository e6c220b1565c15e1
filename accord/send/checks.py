"""What the SEND part asks of mediation sessions, registered through `accord.mediation.hooks`.

- Booking or moving the meeting: the date and place must be notified at least 5 working days
  ahead (the dated rule `send.notice_of_meeting`, counted back from the meeting) unless the
  family's consent to less is recorded.
- Starting it: every attendee has confirmed the Terms of Engagement, and where a parent speaks
  for a young person of 16 or over, the young person's written permission is kept.
- Once held: the 24-hour outcome clock starts and the case moves to its outcome.

Only cases with a SEND record are checked: the clocks and rules run from that record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.core.errors import ValidationFailed
from accord.send import clocks
from accord.send.models import SendAttendee, SendRecord

NOTICE = "send.notice_of_meeting"


def latest_notice(case: Any, starts_at: dt.datetime) -> dt.datetime:
    """The last moment the meeting may be notified without the family's consent to less."""
    return clocks.due_from_rule(case, NOTICE, starts_at)


def send_session_check(case: Any, phase: str, starts_at: dt.datetime) -> None:
    """Refuse a SEND meeting booked at short notice without consent, or started too early."""
    if case.kind != "send":
        return
    record = SendRecord.objects.filter(case_id=case.pk).first()
    if record is None:
        return
    if phase in ("book", "move"):
        if record.short_notice_consent:
            return
        last = latest_notice(case, starts_at)
        if timezone.now() > last:
            local = timezone.localtime(last)
            raise ValidationFailed(
                "The family must be told the date and place at least 5 working days before the "
                f"meeting (by {local:%A} {local.day} {local:%B %Y}) unless they agree to less: "
                "choose a later date, or record their consent first.",
                field_errors={
                    "starts_at": [
                        "Choose a date at least 5 working days ahead, or record the family's "
                        "consent to less notice."
                    ]
                },
            )
        return
    if phase == "start":
        from accord.send.services import permission_needed

        waiting = SendAttendee.objects.filter(case_id=case.pk, terms_confirmed_at__isnull=True)
        if not SendAttendee.objects.filter(case_id=case.pk).exists():
            raise ValidationFailed("Record who attends the SEND meeting before it starts.")
        if waiting.exists():
            names = ", ".join(
                a.participant.full_name for a in waiting.select_related("participant")
            )
            raise ValidationFailed(
                f"Everyone must accept the Terms of Engagement before the meeting starts: {names}."
            )
        if permission_needed(record):
            raise ValidationFailed(
                "A parent is speaking for a young person aged 16 or over: keep the young "
                "person's written permission before the meeting starts."
            )


def send_session_ended(actor: Any, session: Any) -> None:
    """Start the outcome clock once the SEND meeting is held."""
    case = session.case
    if case.kind != "send":
        return
    from accord.send.services import meeting_ended

    meeting_ended(actor, case, session.ended_at or timezone.now())
