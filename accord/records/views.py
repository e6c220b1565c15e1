"""Records pages: the hub, the retention schedule and holds, subject-access and erasure
requests (service admins), statistics (admins and supervisors), and the portal's "your data".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.calendar import london_date
from accord.cases.models import Case, Participant
from accord.cases.selectors import cases_for_participant
from accord.complaints import policy as complaints_policy
from accord.core.charts import bar_chart, svg_response
from accord.core.errors import DomainError, ValidationFailed
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin
from accord.records import retention, selectors, services, statistics
from accord.records.forms import (
    DecisionForm,
    HoldForm,
    PeriodForm,
    PersonRequestForm,
    RetentionScheduleForm,
)
from accord.records.models import (
    ErasureRequest,
    RequestStatus,
    RetentionRun,
    SubjectAccessRequest,
)


def _admin_organisation(request: HttpRequest) -> Organisation:
    orgs = complaints_policy.admin_organisations(request.user)
    if not orgs:
        raise Http404("No such page.")
    return Organisation.objects.get(pk=orgs[0])


def _handler_organisation(request: HttpRequest) -> Organisation:
    orgs = complaints_policy.handler_organisations(request.user)
    if not orgs:
        raise Http404("No such page.")
    return Organisation.objects.get(pk=orgs[0])


@staff_required
@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    organisation = _handler_organisation(request)
    admin = is_service_admin(request.user, organisation.pk)
    return render(
        request,
        "records/hub.html",
        {
            "nav": "records",
            "organisation": organisation,
            "admin": admin,
            "open_sars": SubjectAccessRequest.objects.filter(
                organisation=organisation, status=RequestStatus.OPEN
            ).count()
            if admin
            else 0,
            "open_erasures": ErasureRequest.objects.filter(
                organisation=organisation, status=RequestStatus.OPEN
            ).count()
            if admin
            else 0,
        },
    )


# Retention


@staff_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest) -> HttpResponse:
    """The schedule (a form), the holds, the last runs and what a sweep would do now."""
    organisation = _admin_organisation(request)
    schedule = retention.schedule_for(organisation)
    initial = {"legal_minimum_years": schedule.legal_minimum_years}
    initial.update({name: getattr(schedule, name) for name in retention.SCHEDULE_FIELDS})
    form = RetentionScheduleForm(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: retention.retention_schedule_set(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The retention schedule has been saved.")
        return redirect("records:retention")
    report = retention.retention_sweep(organisation=organisation, dry_run=True)
    return form_page(
        request,
        "records/retention.html",
        form,
        nav="records",
        organisation=organisation,
        report=report,
        holds=selectors.holds_in_force(organisation),
        runs=RetentionRun.objects.filter(organisation=organisation)[:10],
    )


@staff_required
@require_http_methods(["GET", "POST"])
def hold_place(request: HttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    form = HoldForm(posted(request))

    def action() -> None:
        case = Case.objects.filter(
            organisation=organisation, reference=form.cleaned_data["case_reference"].strip()
        ).first()
        if case is None:
            raise ValidationFailed(
                "The hold was not placed.",
                field_errors={"case_reference": ["No case of this service has that reference."]},
            )
        retention.record_hold_place(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )

    if request.method == "POST" and form.is_valid() and submit(form, action):
        messages.success(request, "The hold has been placed.")
        return redirect("records:retention")
    return form_page(request, "records/hold.html", form, nav="records")


@staff_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _admin_organisation(request)
    hold = selectors.hold_get(organisation, pk)
    if hold is None:
        raise Http404("No such hold.")
    try:
        retention.record_hold_release(actor=request.user, hold=hold)
    except DomainError as exc:
        raise_http(exc)
    messages.success(request, "The hold has been released.")
    return redirect("records:retention")


# Requests (subject access and erasure)


def _person_action(form: PersonRequestForm, organisation: Organisation) -> Participant:
    data = form.cleaned_data
    person = (
        Participant.objects.filter(
            organisation=organisation,
            case__reference=data["case_reference"].strip(),
            full_name__iexact=data["full_name"].strip(),
        )
        .order_by("id")
        .first()
    )
    if person is None:
        raise ValidationFailed(
            "The request could not be recorded.",
            field_errors={"full_name": ["Nobody of that name took part in that case."]},
        )
    return person


@staff_required(cache=False)
@require_GET
def sar_list(request: HttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    rows = SubjectAccessRequest.objects.filter(organisation=organisation).select_related(
        "participant", "participant__case"
    )[:500]
    return render(
        request,
        "records/sar_list.html",
        {"nav": "records", "requests": rows, "now": timezone.now()},
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def sar_new(request: HttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    form = PersonRequestForm(posted(request))
    made: list[SubjectAccessRequest] = []

    def action() -> None:
        person = _person_action(form, organisation)
        made.append(
            services.subject_access_request_make(
                actor=request.user, participant=person, received_on=form.cleaned_data["received_on"]
            )
        )

    if request.method == "POST" and form.is_valid() and submit(form, action):
        messages.success(request, "The subject-access request has been recorded.")
        return redirect("records:sar_detail", made[0].pk)
    return form_page(request, "records/sar_new.html", form, nav="records")


def _sar(request: HttpRequest, pk: int) -> SubjectAccessRequest:
    organisation = _admin_organisation(request)
    found = (
        SubjectAccessRequest.objects.filter(organisation=organisation, pk=pk)
        .select_related("participant", "participant__case", "produced_by")
        .first()
    )
    if found is None:
        raise Http404("No such request.")
    return found


@staff_required(cache=False)
@require_GET
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from accord.records.subject_access import gather

    sar = _sar(request, pk)
    export = gather(sar.participant)
    return render(
        request,
        "records/sar_detail.html",
        {"nav": "records", "sar": sar, "export": export, "now": timezone.now()},
    )


@staff_required(cache=False)
@require_POST
def sar_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Produce the ZIP and download it (each production is audited)."""
    sar = _sar(request, pk)
    try:
        data = services.subject_access_export_produce(actor=request.user, request=sar)
    except DomainError as exc:
        raise_http(exc)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(cache=False)
@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    rows = selectors.erasure_requests_for_service(organisation)
    return render(request, "records/erasure_list.html", {"nav": "records", "requests": rows})


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def erasure_new(request: HttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    form = PersonRequestForm(posted(request))
    made: list[ErasureRequest] = []

    def action() -> None:
        person = _person_action(form, organisation)
        made.append(
            services.erasure_request_make(
                actor=request.user, participant=person, received_on=form.cleaned_data["received_on"]
            )
        )

    if request.method == "POST" and form.is_valid() and submit(form, action):
        messages.success(request, "The erasure request has been recorded.")
        return redirect("records:erasure_review", made[0].pk)
    return form_page(request, "records/erasure_new.html", form, nav="records")


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def erasure_review(request: HttpRequest, pk: int) -> HttpResponse:
    """What would be erased and kept (and why); carry it out or refuse it."""
    organisation = _admin_organisation(request)
    found = selectors.erasure_request_get(organisation, pk)
    if found is None:
        raise Http404("No such request.")
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        note = form.cleaned_data["note"]
        if decision == "refuse":
            done = submit(
                form,
                lambda: services.erasure_request_refuse(
                    actor=request.user, request=found, note=note
                ),
            )
        else:
            done = submit(
                form,
                lambda: services.erasure_request_carry_out(
                    actor=request.user, request=found, note=note
                ),
            )
        if done:
            messages.success(request, "The decision has been recorded.")
            return redirect("records:erasure_list")
    return form_page(
        request,
        "records/erasure_review.html",
        form,
        nav="records",
        erasure=found,
        review=services.erasure_review(found),
    )


# Statistics


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    today = london_date(timezone.now())
    default_start = today.replace(month=1, day=1)
    form = PeriodForm(request.GET or None)
    start, end = default_start, today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


@staff_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    organisation = _handler_organisation(request)
    form, start, end = _period(request)
    figures = statistics.statistics_for(
        organisation, start, end, fresh=request.GET.get("refresh") == "1"
    )
    tables = figures.tables
    query = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    status = 422 if request.GET and form.errors else 200
    return render(
        request,
        "records/statistics.html",
        {
            "nav": "records",
            "form": form,
            "tables": tables,
            "start": start,
            "end": end,
            "query": query,
            "organisation": organisation,
            "figures_at": figures.at,
            "max_age_minutes": int(statistics.MAX_AGE.total_seconds() // 60),
        },
        status=status,
    )


@staff_required
@require_GET
def statistics_chart(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _handler_organisation(request)
    _, start, end = _period(request)
    figures = statistics.statistics_for(organisation, start, end)
    for table in figures.tables:
        if table.slug == slug and table.chart and table.rows:
            # Drawn once per computation of the figures, like the figures themselves.
            chart_key = f"{figures.key}:{figures.at.isoformat()}:{slug}"
            svg = cache.get(chart_key)
            if svg is None:
                svg = bar_chart(
                    title=table.title,
                    categories=[str(label) for label, _ in table.rows],
                    series={table.unit or "count": [float(v) for _, v in table.rows]},
                    unit=table.unit,
                )
                cache.set(chart_key, svg, statistics.CACHE_SECONDS)
            return svg_response(svg)
    raise Http404("No such chart.")


@staff_required
@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    organisation = _handler_organisation(request)
    _, start, end = _period(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "item", "value", "from", "to"])
    for table in statistics.statistics_for(organisation, start, end).tables:
        for label, value in table.rows:
            writer.writerow([table.title, label, value, start.isoformat(), end.isoformat()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statistics-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


# Portal


def _portal_participation(request: HttpRequest, case_pk: int) -> Participant | None:
    if not cases_for_participant(user=request.user).filter(pk=case_pk).exists():
        return None
    return (
        Participant.objects.filter(
            case_id=case_pk, user_id=request.user.pk or 0, portal_access=True
        )
        .select_related("case", "organisation")
        .order_by("id")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_my_data(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A party asks for a copy of their data, or for it to be erased, and sees where each stands."""
    me = _portal_participation(request, case_pk)
    if me is None:
        return render(request, "portal/not_found.html", {"nav": "portal"}, status=404)
    error = ""
    if request.method == "POST":
        what = request.POST.get("ask")
        try:
            if what == "copy":
                services.subject_access_request_make(actor=request.user, participant=me)
                messages.success(
                    request, "Your request has been sent. The service will answer within a month."
                )
            elif what == "erase":
                services.erasure_request_make(actor=request.user, participant=me)
                messages.success(request, "Your request to erase your data has been sent.")
            else:
                error = "Choose what you are asking for."
        except ValidationFailed as exc:
            error = exc.message
        except DomainError as exc:
            raise_http(exc)
        if not error:
            return redirect("records:portal_my_data", case_pk)
    context: dict[str, Any] = {
        "nav": "portal",
        "case": me.case,
        "error": error,
        "sars": SubjectAccessRequest.objects.filter(participant=me).order_by("-id"),
        "erasures": ErasureRequest.objects.filter(participant=me).order_by("-id"),
    }
    return render(request, "records/portal_my_data.html", context, status=422 if error else 200)
