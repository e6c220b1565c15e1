"""Schedule and maintenance pages: build, month calendar, year summary, chart, comparison,
iCalendar for each parent; the estimate. Staff and the case's parents (their own view)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for, is_portal_party
from accord.children import calc, estimates, schedules
from accord.children.forms import EstimateForm, ScheduleForm
from accord.children.models import CareSchedule, MaintenanceEstimate, SchoolTerm
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit


def _case(request: HttpRequest, case_pk: int) -> tuple[Case, bool]:
    """The case and whether the user is its staff (else a parent of it); 404 otherwise."""
    try:
        case = case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not kinds.applies(case.kind, "schedules"):
        raise Http404("Schedules are part of family cases about children.")
    if case_policy.can(request.user, "view_workspace", case):
        return case, True
    if is_portal_party(request.user, case):
        return case, False
    raise Http404("No such case.")


def _schedule(request: HttpRequest, case: Case, pk: Any) -> CareSchedule:
    try:
        return schedules.schedule_get(user=request.user, case=case, schedule_id=pk)
    except NotFoundOrHidden:
        raise Http404("No such schedule.") from None


def _month(request: HttpRequest, default: dt.date) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return default.year, default.month
    if not 2000 <= year <= 2100:
        return default.year, default.month
    return year, month


def _shift(year: int, month: int, by: int) -> str:
    n = year * 12 + month - 1 + by
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _month_split(schedule: CareSchedule, year: int, month: int) -> calc.Split | None:
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if last < schedule.anchor:
        return None
    return schedules.split_of(schedule, first, last)


@login_required
@require_GET
def schedules_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    case, staff = _case(request, case_pk)
    rows = schedules.schedules_for(user=request.user, case=case)
    return render(
        request,
        "children/schedules.html",
        {
            "nav": "cases" if staff else "portal",
            "case": case,
            "staff": staff,
            "schedules": rows,
            "can_change": staff and case_policy.can(request.user, "change", case),
            "estimates": list(
                MaintenanceEstimate.objects.filter(case=case).select_related("paying_parent")[:5]
            )
            if staff
            else [],
            "agreed_estimate": estimates.agreed_estimate(case),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def schedule_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case, staff = _case(request, case_pk)
    if not staff:
        raise Http404("No such case.")
    parents = schedules.parents_of(case)
    form = ScheduleForm(posted(request), patterns=calc.patterns(), parents=parents)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        christmas = data.pop("christmas")
        holidays = (
            [
                {
                    "name": "Christmas",
                    "start": "12-24",
                    "end": "12-26",
                    "rule": "alternate",
                    "even_years": christmas,
                }
            ]
            if christmas
            else []
        )
        made: list[CareSchedule] = []
        if submit(
            form,
            lambda: made.append(
                schedules.schedule_save(actor=request.user, case=case, holidays=holidays, **data)
            ),
        ):
            messages.success(request, "The schedule has been saved.")
            return redirect("children:schedule", case.pk, made[0].pk)
    return form_page(request, "children/schedule_form.html", form, case=case)


def _summary(schedule: CareSchedule) -> dict[str, Any]:
    year = schedules.next_twelve_months(schedule)
    hours = year.hours or {}
    return {
        "split": year,
        "hours": bool(hours),
        "school_hours": year.school_hours,
        "school_days": len(year.school_days),
        "rows": [
            {
                "parent": p.full_name,
                "code": c,
                "nights": year.nights.get(c, 0),
                "percent": year.percent(c),
                "hours": hours.get(c),
            }
            for p, c in ((schedule.parent_a, "A"), (schedule.parent_b, "B"))
        ],
    }


@login_required
@require_GET
def schedule_page(request: HttpRequest, case_pk: int, schedule_pk: int) -> HttpResponse:
    """A month calendar and the year summary per parent, with its chart and table."""
    case, staff = _case(request, case_pk)
    schedule = _schedule(request, case, schedule_pk)
    today = timezone.localdate()
    year, month = _month(request, max(today, schedule.anchor))
    split = _month_split(schedule, year, month)
    return render(
        request,
        "children/schedule.html",
        {
            "nav": "cases" if staff else "portal",
            "case": case,
            "staff": staff,
            "schedule": schedule,
            "month": dt.date(year, month, 1),
            "weeks": schedules.month_weeks(split, year, month) if split else [],
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "summary": _summary(schedule),
            "handovers": [
                {"day": calc.WEEKDAYS[int(h["weekday"])], "time": h["time"]}
                for h in schedule.handovers
            ],
            "exceptions": [
                {**e, "on": dt.date.fromisoformat(e["on"])} for e in schedule.exceptions
            ],
            "terms_count": SchoolTerm.objects.filter(organisation_id=case.organisation_id).count(),
            "names": {"A": schedule.parent_a.full_name, "B": schedule.parent_b.full_name},
            "can_change": staff and case_policy.can(request.user, "change", case),
            "me": "A"
            if schedule.parent_a.user_id == request.user.pk
            else ("B" if schedule.parent_b.user_id == request.user.pk else ""),
        },
    )


@login_required
@require_GET
def schedule_chart(request: HttpRequest, case_pk: int, schedule_pk: int) -> HttpResponse:
    from accord.core.charts import bar_chart, svg_response

    case, _ = _case(request, case_pk)
    schedule = _schedule(request, case, schedule_pk)
    year = schedules.next_twelve_months(schedule)
    months: list[str] = []
    series: dict[str, list[float]] = {
        schedule.parent_a.full_name: [],
        schedule.parent_b.full_name: [],
    }
    for day, carer in sorted(year.days.items()):
        label = f"{day:%b %y}"
        if not months or months[-1] != label:
            months.append(label)
            for values in series.values():
                values.append(0)
        name = schedule.parent_a.full_name if carer == "A" else schedule.parent_b.full_name
        series[name][-1] += 1
    svg = bar_chart(
        title="Overnights each month, next 12 months",
        categories=months,
        series=series,
        unit="nights",
    )
    return svg_response(svg)


@login_required
@require_GET
def schedule_ics(request: HttpRequest, case_pk: int, schedule_pk: int) -> HttpResponse:
    """The signed-in parent's own time (or a parent's, for staff: ?parent=A|B), next 12 months."""
    import icalendar

    case, staff = _case(request, case_pk)
    schedule = _schedule(request, case, schedule_pk)
    if staff:
        code = request.GET.get("parent", "A")
        if code not in calc.CARERS:
            raise Http404("No such parent.")
    elif schedule.parent_a.user_id == request.user.pk:
        code = "A"
    elif schedule.parent_b.user_id == request.user.pk:
        code = "B"
    else:
        raise Http404("No such schedule.")
    year = schedules.next_twelve_months(schedule)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Accord//Parenting schedule//EN")
    cal.add("version", "2.0")
    blocks: list[tuple[dt.date, dt.date]] = []
    for day, carer in sorted(year.days.items()):
        if carer != code:
            continue
        if blocks and blocks[-1][1] + dt.timedelta(days=1) == day:
            blocks[-1] = (blocks[-1][0], day)
        else:
            blocks.append((day, day))
    handover = schedule.handover_time
    for n, (first, last) in enumerate(blocks, start=1):
        event = icalendar.Event()
        event.add("uid", f"accord-schedule-{schedule.pk}-{code}-{first.isoformat()}")
        event.add("summary", "Children with you")
        event.add("dtstart", dt.datetime.combine(first, handover))
        event.add("dtend", dt.datetime.combine(last + dt.timedelta(days=1), handover))
        event.add("dtstamp", timezone.now())
        event.add("description", f"{schedule.name}: handover at {handover:%H:%M}. Block {n}.")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schedule-{schedule.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def schedules_compare(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Two proposals side by side for a month, days that differ highlighted, and year totals."""
    case, staff = _case(request, case_pk)
    visible = schedules.schedules_for(user=request.user, case=case)
    by_id = {s.pk: s for s in visible}
    try:
        first = by_id[int(request.GET.get("a", ""))]
        second = by_id[int(request.GET.get("b", ""))]
    except (KeyError, ValueError):
        if len(visible) < 2:
            raise Http404("There are not two schedules to compare.") from None
        first, second = visible[0], visible[1]
    today = timezone.localdate()
    year, month = _month(request, max(today, first.anchor, second.anchor))
    split_a = _month_split(first, year, month)
    split_b = _month_split(second, year, month)
    weeks = []
    if split_a and split_b:
        for week_a, week_b in zip(
            schedules.month_weeks(split_a, year, month),
            schedules.month_weeks(split_b, year, month),
            strict=True,
        ):
            weeks.append(
                [
                    None
                    if a is None or b is None
                    else {"day": a[0], "a": a[1], "b": b[1], "differs": a[1] != b[1]}
                    for a, b in zip(week_a, week_b, strict=True)
                ]
            )
    return render(
        request,
        "children/compare.html",
        {
            "nav": "cases" if staff else "portal",
            "case": case,
            "staff": staff,
            "first": first,
            "second": second,
            "choices": visible,
            "month": dt.date(year, month, 1),
            "weeks": weeks,
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "differing": sum(1 for w in weeks for d in w if d and d["differs"]),
            "summaries": [(first, _summary(first)), (second, _summary(second))],
            "names": {"A": first.parent_a.full_name, "B": first.parent_b.full_name},
        },
    )


@staff_required
@require_POST
def schedule_agree(request: HttpRequest, case_pk: int, schedule_pk: int) -> HttpResponse:
    case, _ = _case(request, case_pk)
    schedule = _schedule(request, case, schedule_pk)
    try:
        schedules.schedule_agree(actor=request.user, schedule=schedule)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "This is now the agreed schedule.")
    return redirect("children:schedule", case.pk, schedule.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def estimate_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    case, staff = _case(request, case_pk)
    if not staff:
        raise Http404("No such case.")
    parents = Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id")
    form = EstimateForm(posted(request), parents=parents)
    disclosed = [
        (party, found)
        for party in parents
        if (found := estimates.disclosure_income(actor=request.user, case=case, participant=party))
    ]
    made: list[MaintenanceEstimate] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: made.append(
                estimates.estimate_make(actor=request.user, case=case, **form.cleaned_data)
            ),
        )
    ):
        messages.success(request, "The estimate is worked out.")
        return redirect("children:estimate", case.pk, made[0].pk)
    return form_page(
        request,
        "children/estimate_form.html",
        form,
        case=case,
        agreed=schedules.agreed_schedule(case),
        disclosed=disclosed,
    )


@staff_required
@require_GET
def estimate_page(request: HttpRequest, case_pk: int, estimate_pk: int) -> HttpResponse:
    case, staff = _case(request, case_pk)
    if not staff:
        raise Http404("No such estimate.")
    estimate = (
        MaintenanceEstimate.objects.filter(case=case, pk=estimate_pk)
        .select_related("paying_parent", "schedule")
        .first()
    )
    if estimate is None:
        raise Http404("No such estimate.")
    return render(
        request,
        "children/estimate.html",
        {
            "nav": "cases",
            "case": case,
            "estimate": estimate,
            "monthly": Decimal(estimate.explanation.get("monthly") or "0"),
            "yearly": Decimal(estimate.explanation.get("yearly") or "0"),
            "can_change": case_policy.can(request.user, "change", case),
        },
    )


@staff_required
@require_POST
def estimate_agree(request: HttpRequest, case_pk: int, estimate_pk: int) -> HttpResponse:
    case, staff = _case(request, case_pk)
    estimate = MaintenanceEstimate.objects.filter(case=case, pk=estimate_pk).first()
    if estimate is None or not staff:
        raise Http404("No such estimate.")
    try:
        estimates.estimate_agree(actor=request.user, estimate=estimate)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "This is now the agreed figure; the parenting plan uses it.")
    return redirect("children:estimate", case.pk, estimate.pk)
