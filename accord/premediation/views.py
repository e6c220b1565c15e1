"""Pre-mediation pages for the case's staff: the meetings, booking one, recording its notes.

Parties see their own bookings on the portal case page (templatetags), never the notes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.models import User
from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.premediation import selectors, services
from accord.premediation.forms import (
    PreMediationBookForm,
    PreMediationCancelForm,
    PreMediationDidNotAttendForm,
    PreMediationMoveForm,
    PreMediationNotesForm,
)
from accord.premediation.models import PreMediationMeeting


def _case(request: HttpRequest, case_pk: int) -> Case:
    try:
        case = case_get_for(user=request.user, case_id=case_pk, action="view_workspace")
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not kinds.applies(case.kind, "premediation"):
        raise Http404("Pre-mediation meetings are part of civil, workplace and community cases.")
    return case


@staff_required
@require_GET
def meetings_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's pre-mediation meetings; the notes only for its mediators and supervisor."""
    case = _case(request, case_pk)
    meetings = selectors.meetings_for_staff(user=request.user, case=case)
    return render(
        request,
        "premediation/meetings.html",
        {
            "nav": "cases",
            "case": case,
            "meetings": meetings,
            "notes_visible": selectors.notes_visible(request.user, case),
            "can_record": services.is_case_mediator(request.user, case),
            "can_change": case_policy.can(request.user, "change", case) and not case.is_closed,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_book(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Book a pre-mediation meeting with one party."""
    case = _case(request, case_pk)
    team = [pk for pk in (case.lead_mediator_id, case.co_mediator_id) if pk]
    form = PreMediationBookForm(
        posted(request),
        parties=Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"),
        mediators=User.objects.filter(pk__in=team).order_by("full_name"),
        initial={"mediator": case.lead_mediator_id},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.premediation_meeting_book(
                actor=request.user, case=case, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The pre-mediation meeting has been booked.")
        return redirect("premediation:case", case.pk)
    return form_page(request, "premediation/book.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_notes(request: HttpRequest, case_pk: int, meeting_pk: int) -> HttpResponse:
    """A case mediator records the party's perspective, goals, concerns and ideas."""
    case = _case(request, case_pk)
    if not services.is_case_mediator(request.user, case):
        raise Http404("No such meeting.")
    try:
        meeting = selectors.meeting_get_for_staff(
            user=request.user, case=case, meeting_id=meeting_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such meeting.") from None
    form = PreMediationNotesForm(
        posted(request),
        initial={
            "perspective": meeting.perspective,
            "goals": meeting.goals,
            "concerns": meeting.concerns,
            "ideas": meeting.ideas,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.premediation_notes_record(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The notes have been saved. Only the case's mediators see them.")
        return redirect("premediation:case", case.pk)
    return form_page(request, "premediation/notes.html", form, case=case, meeting=meeting)


def _changeable(request: HttpRequest, case_pk: int, meeting_pk: int) -> tuple[Case, Any]:
    """The case and one of its meetings, for staff who may change the case (404 otherwise)."""
    case = _case(request, case_pk)
    if not case_policy.can(request.user, "change", case):
        raise Http404("No such meeting.")
    try:
        meeting = selectors.meeting_get_for_staff(
            user=request.user, case=case, meeting_id=meeting_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such meeting.") from None
    return case, meeting


def _back(case: Case, meeting: PreMediationMeeting) -> str:
    return reverse("premediation:case", args=[case.pk]) + f"#meeting-{meeting.pk}"


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_move(request: HttpRequest, case_pk: int, meeting_pk: int) -> HttpResponse:
    """Move a booked meeting to a new time or place; the party is told, with a calendar file."""
    case, meeting = _changeable(request, case_pk, meeting_pk)
    form = PreMediationMoveForm(
        posted(request),
        initial={
            "starts_at": meeting.starts_at,
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "place": meeting.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.premediation_meeting_move(
                actor=request.user,
                meeting=meeting,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                place=data["place"],
                confirm_warnings=bool(data["confirm_warnings"]),
                confirm_reason=data["confirm_reason"],
            ),
        ):
            messages.success(
                request, "The meeting has been moved. The email telling the party is queued."
            )
            return redirect(_back(case, meeting))
    return form_page(request, "premediation/move.html", form, case=case, meeting=meeting)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, case_pk: int, meeting_pk: int) -> HttpResponse:
    """Cancel a booked meeting with a reason; the party is told it is cancelled, not why."""
    case, meeting = _changeable(request, case_pk, meeting_pk)
    form = PreMediationCancelForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.premediation_meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(
            request, "The meeting has been cancelled. The email telling the party is queued."
        )
        return redirect(_back(case, meeting))
    return form_page(request, "premediation/cancel.html", form, case=case, meeting=meeting)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_did_not_attend(request: HttpRequest, case_pk: int, meeting_pk: int) -> HttpResponse:
    """Record that the party did not come to the meeting."""
    case, meeting = _changeable(request, case_pk, meeting_pk)
    form = PreMediationDidNotAttendForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.premediation_mark_did_not_attend(
                actor=request.user, meeting=meeting, note=form.cleaned_data["note"]
            ),
        )
    ):
        messages.success(request, "The meeting has been recorded as not attended.")
        return redirect(_back(case, meeting))
    return form_page(request, "premediation/did_not_attend.html", form, case=case, meeting=meeting)


@login_required
@require_GET
def meeting_calendar(request: HttpRequest, case_pk: int, meeting_pk: int) -> HttpResponse:
    """The meeting's calendar file, for the case's staff or for the party it is with."""
    try:
        case = case_get_for(user=request.user, case_id=case_pk)
        if not kinds.applies(case.kind, "premediation"):
            raise NotFoundOrHidden("No such meeting.")
        meeting = selectors.meeting_for_calendar(
            user=request.user, case=case, meeting_id=meeting_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such meeting.") from None
    response = HttpResponse(
        services.premediation_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
