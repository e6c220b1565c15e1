"""Pre-mediation meetings as appointments, for the diary and the booking clash warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from accord.meetings.appointments import Appointment
from accord.meetings.models import MeetingMode, link_or_blank
from accord.premediation.selectors import meetings_between


def premediation_appointments(
    organisation_id: int, start: dt.datetime, end: dt.datetime
) -> Iterable[Appointment]:
    """A service's live pre-mediation meetings (booked or held, not cancelled or missed) starting
    in [start, end): time, party and place only."""
    for meeting in meetings_between(organisation_id=organisation_id, start=start, end=end):
        link = link_or_blank(meeting.place) if meeting.mode == MeetingMode.VIDEO else ""
        party = meeting.participant
        yield Appointment(
            kind="premediation",
            key=f"premediation.{meeting.pk}",
            case_id=meeting.case_id,
            case_reference=meeting.case.reference,
            title="Pre-mediation meeting",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
            location="" if link else meeting.place,
            video_url=link,
            staff_ids=frozenset({meeting.mediator_id}),
            participant_ids=frozenset({party.pk}),
            person_user_ids=frozenset({party.user_id}) if party.user_id else frozenset(),
            url=reverse("premediation:case", args=[meeting.case_id]),
            status="held" if meeting.is_held else "booked",
        )
