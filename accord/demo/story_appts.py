"""Demo story for managing appointments: a MIAM moved, a MIAM missed, a session cancelled with a
reason, and a staff training day the diary and the booking form warn about.

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
    """Okafor: one MIAM moved, one missed and rebooked; Khan / Wright: a session cancelled with
    a reason; Riverside: a staff training day three weeks ahead."""
    from accord.accounts.models import User
    from accord.deadlines.services import calendar_closure_add
    from accord.mediation import services as mediation
    from accord.mediation.models import MediationSession
    from accord.meetings import services as meetings
    from accord.meetings.models import Miam, MiamStatus

    org = Organisation.objects.filter(slug=_SLUG).first()
    if org is None:
        return
    coordinator = User.objects.get(email="coordinator@riverside.example")
    admin = User.objects.get(email="admin@riverside.example")
    calendar_closure_add(
        actor=admin,
        organisation=org,
        date=_working_day(21, 9).date(),
        name="Staff training day",
    )

    okafor = Case.objects.get(organisation=org, title="Okafor / Okafor")
    booked = list(Miam.objects.filter(case=okafor, status=MiamStatus.BOOKED).order_by("starts_at"))
    if booked:
        # Grace asked for the afternoon: the coordinator moves her MIAM; her portal, her
        # calendar file and the emails follow, and the first confirmation is never sent.
        first = booked[0]
        meetings.miam_move(
            actor=coordinator,
            miam=first,
            starts_at=first.starts_at.replace(hour=15),
            duration_minutes=first.duration_minutes,
            mode=first.mode,
            place=first.place,
        )
    emmanuel = okafor.participants.get(full_name="Emmanuel Okafor")
    # Emmanuel missed a MIAM last week (booked then; its start has since passed) before the
    # one now booked for him: it is recorded as not attended.
    missed = meetings.miam_book(
        actor=coordinator,
        case=okafor,
        attendees=[emmanuel],
        mediator=okafor.lead_mediator,
        starts_at=timezone.now() + dt.timedelta(hours=1),
        mode="phone",
        place="Riverside will call the number on file",
    )
    Miam.objects.filter(pk=missed.pk).update(starts_at=_working_day(-8, 11))
    missed.refresh_from_db()
    meetings.miam_mark_did_not_attend(actor=coordinator, miam=missed)

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
