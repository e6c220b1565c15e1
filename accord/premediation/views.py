"""Pre-mediation pages for the case's staff: the meetings, booking one, recording its notes.

Parties see their own bookings on the portal case page (templatetags), never the notes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accord.accounts.models import User
from accord.cases import kinds
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.premediation import selectors, services
from accord.premediation.forms import PreMediationBookForm, PreMediationNotesForm


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
