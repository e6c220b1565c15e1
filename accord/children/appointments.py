"""Child meetings as appointments, for the diary and the booking clash warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from accord.children.selectors import meetings_between
from accord.meetings.appointments import Appointment
from accord.meetings.models import MeetingMode


def child_meeting_appointments(
    organisation_id: int, start: dt.datetime, end: dt.datetime
) -> Iterable[Appointment]:
    """A service's child meetings in [start, end): time, place and who brings the child only."""
    for offer in meetings_between(organisation_id=organisation_id, start=start, end=end):
        assert offer.starts_at is not None
        is_link = offer.mode == MeetingMode.VIDEO and offer.place.startswith(
            ("https://", "http://")
        )
        carer = offer.brought_by
        yield Appointment(
            kind="child_meeting",
            key=f"child_meeting.{offer.pk}",
            case_id=offer.case_id,
            case_reference=offer.case.reference,
            title="Child meeting",
            starts_at=offer.starts_at,
            ends_at=offer.starts_at + dt.timedelta(minutes=offer.duration_minutes),
            location="" if is_link else offer.place,
            video_url=offer.place if is_link else "",
            staff_ids=frozenset({offer.consultant_id}) if offer.consultant_id else frozenset(),
            participant_ids=frozenset({carer.pk}) if carer else frozenset(),
            person_user_ids=(
                frozenset({carer.user_id}) if carer and carer.user_id else frozenset()
            ),
            url=reverse("children:case", args=[offer.case_id]),
            status="held" if offer.held_at else "booked",
        )
