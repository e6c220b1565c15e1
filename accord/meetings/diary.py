"""The diary: each mediator's and the whole service's appointments, by day or by week.

It reads every registered appointment source (accord.meetings.appointments), so MIAMs, sessions
and whatever registers later all show, each linking to its own page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accord.calendar import london_wall_time, to_london
from accord.core.web import staff_required
from accord.meetings import selectors
from accord.organisations.models import Role
from accord.organisations.selectors import staff_in, staff_organisation_for


def _day(text: str | None) -> tuple[dt.date, str]:
    """The day asked for, or today with a note when it is not a real date."""
    today = timezone.localdate()
    if not text:
        return today, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return today, "That is not a real date, so the diary shows today."


@staff_required
@require_GET
def diary(request: HttpRequest) -> HttpResponse:
    """One day or one week of appointments, for one mediator or the whole service."""
    organisation = staff_organisation_for(request.user)
    period = "day" if request.GET.get("view") == "day" else "week"
    day, note = _day(request.GET.get("date"))
    mediators = list(staff_in(organisation, Role.MEDIATOR)) if organisation else []
    mediator = None
    raw = request.GET.get("mediator") or ""
    if raw.isdigit():
        mediator = next((m for m in mediators if m.pk == int(raw)), None)
    if period == "week":
        first = day - dt.timedelta(days=day.weekday())
        days = [first + dt.timedelta(days=n) for n in range(7)]
        step = dt.timedelta(days=7)
    else:
        first, days, step = day, [day], dt.timedelta(days=1)
    start = london_wall_time(days[0], dt.time(0))
    end = london_wall_time(days[-1] + dt.timedelta(days=1), dt.time(0))
    found = selectors.diary_for(
        user=request.user, start=start, end=end, mediator_id=mediator.pk if mediator else None
    )
    names = {m.pk: m.full_name or m.email for m in mediators}
    by_day = [
        (
            d,
            [
                (a, ", ".join(sorted(names.get(uid, "") for uid in a.staff_ids if uid in names)))
                for a in found
                if to_london(a.starts_at).date() == d
            ],
        )
        for d in days
    ]

    def link(**change: object) -> str:
        query = {"view": period, "date": first.isoformat()}
        if mediator:
            query["mediator"] = str(mediator.pk)
        query.update({k: str(v) for k, v in change.items() if v is not None})
        return f"{reverse('diary')}?{urlencode(query)}"

    context = {
        "nav": "diary",
        "period": period,
        "days": by_day,
        "first": days[0],
        "last": days[-1],
        "mediator": mediator,
        "mediators": mediators,
        "note": note,
        "previous_url": link(date=(first - step).isoformat()),
        "next_url": link(date=(first + step).isoformat()),
        "today_url": link(date=timezone.localdate().isoformat()),
        "day_url": link(view="day"),
        "week_url": link(view="week"),
    }
    return render(request, "meetings/diary.html", context)
