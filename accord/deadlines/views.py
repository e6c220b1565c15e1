"""Staff pages for deadlines: the month calendar, meeting and waiving, and the service settings.

Views only parse input, call a selector or a service, and render. A deadline a user may not see
answers 404; one they may see but not act on answers 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accord.calendar import london_wall_time
from accord.cases.selectors import case_get_for
from accord.cases.workspace import section_url
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.deadlines import conf, policy, selectors, services
from accord.deadlines.forms import (
    CUSTOM,
    ClosureForm,
    DeadlineAddForm,
    MeetForm,
    RuleOverrideForm,
    WaiveForm,
)
from accord.deadlines.models import CalendarOverride
from accord.organisations.selectors import staff_organisation_for


def _next_url(request: HttpRequest, fallback: str) -> str:
    """Where to go back to: a same-site `next` address, else the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _case_url(case_id: int) -> str:
    return section_url(case_id, "summary", "case-deadlines")


@staff_required
def calendar_month(request: HttpRequest) -> HttpResponse:
    """A month of deadlines as an accessible table, e.g. /deadlines/calendar/?month=2026-12."""
    raw = request.GET.get("month", "")
    try:
        first = selectors.parse_month(raw)
    except selectors.BadMonth as exc:
        return render(
            request,
            "deadlines/calendar.html",
            {"nav": "deadlines", "error": str(exc), "raw_month": raw[:20]},
            status=400,
        )
    day = None
    raw_day = request.GET.get("day", "")
    if raw_day:
        try:
            day = first.replace(day=int(raw_day))
        except (TypeError, ValueError):
            return render(
                request,
                "deadlines/calendar.html",
                {
                    "nav": "deadlines",
                    "error": f"“{raw_day[:20]}” is not a day of {first:%B %Y}.",
                    "raw_month": raw[:20],
                },
                status=400,
            )
    organisation = staff_organisation_for(request.user)
    month = selectors.deadlines_for_month(request.user, first, organisation=organisation, day=day)
    return render(
        request,
        "deadlines/calendar.html",
        {
            "nav": "deadlines",
            "month": month,
            "can_configure": organisation is not None
            and policy.can_configure(request.user, organisation.pk),
            "show_previous": month.previous.year >= 2000,
            "show_next": month.next.year <= 2100,
        },
    )


@require_POST
@staff_required
def deadline_meet(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a deadline met and go back where the button was."""
    deadline = _visible_deadline(request, pk)
    form = MeetForm(request.POST)
    fallback = _case_url(deadline.case_id)
    if not form.is_valid():
        for message in form.errors.get("note", []):
            messages.error(request, str(message))
        return redirect(_next_url(request, fallback))
    try:
        services.deadline_meet(
            actor=request.user, deadline=deadline, note=form.cleaned_data["note"]
        )
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{deadline.title}” is marked as met.")
    return redirect(_next_url(request, fallback))


def _visible_deadline(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.deadline_get_for(user=request.user, deadline_id=pk)
    except NotFoundOrHidden:
        raise Http404("No such deadline.") from None


@require_http_methods(["GET", "POST"])
@staff_required
def deadline_waive(request: HttpRequest, pk: int) -> HttpResponse:
    """Waive a deadline with a reason; the form is shown again with any problem."""
    deadline = _visible_deadline(request, pk)
    if not policy.can_resolve(request.user, deadline):
        raise PermissionDenied("You do not have permission to waive this deadline.")
    form = WaiveForm(posted(request))
    fallback = _case_url(deadline.case_id)
    if form.is_valid() and submit(
        form,
        lambda: services.deadline_waive(
            actor=request.user, deadline=deadline, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, f"“{deadline.title}” is waived.")
        return redirect(_next_url(request, fallback))
    return form_page(
        request,
        "deadlines/waive.html",
        form,
        deadline=deadline,
        next=_next_url(request, fallback),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def deadline_add(request: HttpRequest, case_id: int) -> HttpResponse:
    """Set a deadline on a case, from a rule or at a chosen date."""
    try:
        case = case_get_for(user=request.user, case_id=case_id, action="view_workspace")
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not policy.can_manage_on_case(request.user, case, "case"):
        raise PermissionDenied("You do not have permission to set deadlines on this case.")
    form = DeadlineAddForm(posted(request), case=case)
    if form.is_valid():
        data = form.cleaned_data
        participant = form.participant()

        def create() -> Any:
            common = {
                "actor": request.user,
                "case": case,
                "owner": data["owner"],
                "concerns_participant": participant,
                "visible_to_participants": data["visible_to_participants"],
            }
            if data["rule_code"] == CUSTOM:
                due_at = london_wall_time(
                    data["due_date"], data["due_time"] or conf.default_due_time()
                )
                return services.deadline_create_due(
                    rule_code="custom", due_at=due_at, title=data["title"], **common
                )
            return services.deadline_create(
                rule_code=data["rule_code"],
                # Day-based rules count the date only, so noon keeps it clear of any clock
                # change; rules in hours count from the time given.
                start=london_wall_time(data["start"], data["start_time"] or dt.time(12, 0)),
                title=data["title"] or None,
                **common,
            )

        if submit(form, create):
            messages.success(request, "The deadline is set.")
            return redirect(_case_url(case.pk))
    return form_page(request, "deadlines/deadline_add.html", form, case=case)


@require_http_methods(["GET", "POST"])
@staff_required
def service_settings(request: HttpRequest) -> HttpResponse:
    """Service admins: the service's closures and its own deadline rule rows."""
    organisation = staff_organisation_for(request.user)
    if organisation is None or not policy.can_configure(request.user, organisation.pk):
        raise Http404("No such page.")
    which = request.POST.get("form") if request.method == "POST" else None
    closure_form = ClosureForm(request.POST if which == "closure" else None, prefix="closure")
    rule_form = RuleOverrideForm(request.POST if which == "rule" else None, prefix="rule")
    if which == "closure" and closure_form.is_valid():
        data = closure_form.cleaned_data
        if submit(
            closure_form,
            lambda: services.calendar_closure_add(
                actor=request.user,
                organisation=organisation,
                date=data["date"],
                name=data["name"],
                kind=data["kind"],
            ),
        ):
            messages.success(request, f"{data['date']:%d %B %Y} is added to the calendar.")
            return redirect("deadlines:settings")
    if which == "rule" and rule_form.is_valid():
        data = rule_form.cleaned_data
        if submit(
            rule_form,
            lambda: services.deadline_rule_add_for_service(
                actor=request.user,
                organisation=organisation,
                code=data["code"],
                period=data["period"],
                unit=data["unit"],
                at_time=data["at_time"],
                effective_from=data["effective_from"],
                source=data["source"],
                description=data["description"],
            ),
        ):
            messages.success(request, "Your service's rule is saved.")
            return redirect("deadlines:settings")
    failed = closure_form.errors or rule_form.errors
    return render(
        request,
        "deadlines/settings.html",
        {
            "nav": "deadlines",
            "organisation": organisation,
            "closures": selectors.closures_for_service(organisation=organisation),
            "rules": selectors.rules_for_service(organisation=organisation),
            "closure_form": closure_form,
            "rule_form": rule_form,
        },
        status=422 if failed else 200,
    )


@require_POST
@staff_required
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the service's own calendar days."""
    override = CalendarOverride.objects.filter(pk=pk).first()
    if override is None:
        raise Http404("No such day.")
    try:
        services.calendar_override_remove(actor=request.user, override=override)
    except DomainError as exc:
        raise_http(exc)
    messages.success(request, f"{override.date:%d %B %Y} is removed from the calendar.")
    return redirect("deadlines:settings")
