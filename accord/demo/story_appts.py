"""Demo story for managing appointments: a session cancelled with a reason, and a staff training
day the diary and the booking form warn about. (Okafor's moved and missed MIAMs happen on their
own story days in `data.py`.)

Called once from `demo_load()` after both services are loaded. Everything goes through the
services, as the coordinator and the mediator would through the pages.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.calendar import default_calendar
from accord.cases.models import Case
from accord.organisations.models import Organisation

#: The Riverside demo service's slug (accord.demo.data.DEMO_SLUG, not imported to avoid a cycle).
_SLUG = "riverside-demo"


def _working_day(days: int, hour: int) -> dt.datetime:
    calendar = default_calendar()
    day = timezone.localdate() + dt.timedelta(days=days)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def load_appointments_story() -> None:
    """Khan / Wright: a session cancelled with a reason; Riverside: a staff training day three
    weeks ahead."""
    from accord.accounts.models import User
    from accord.deadlines.services import calendar_closure_add
    from accord.mediation import services as mediation
    from accord.mediation.models import MediationSession

    org = Organisation.objects.filter(slug=_SLUG).first()
    if org is None:
        return
    admin = User.objects.get(email="admin@riverside.example")
    calendar_closure_add(
        actor=admin,
        organisation=org,
        date=_working_day(21, 9).date(),
        name="Staff training day",
    )

    khan = Case.objects.get(organisation=org, title="Khan / Wright")
    session = MediationSession.objects.filter(case=khan, status="booked").first()
    if session is not None:
        # A second session was pencilled in, then cancelled: the reason stays with the team.
        extra = mediation.session_book(
            actor=session.mediators.first(),
            case=khan,
            format=session.format,
            starts_at=session.starts_at + dt.timedelta(days=14),
            mode=session.mode,
            place=session.place,
            attendees=list(session.attendees.all()),
            mediators=list(session.mediators.all()),
        )
        mediation.session_cancel(
            actor=session.mediators.first(),
            session=extra,
            reason="Daniel is away that fortnight; the parents will pick a new date together.",
        )
