"""Staff pages for mediation sessions and the mediation's status, under a case.

Views only parse input, call a selector or a service, and render. A case the user may not open
answers 404; one they may open but not change answers 403. Parties see sessions only in the
portal panel (see templatetags/mediation_tags.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import Case
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.mediation import selectors, services, suitability
from accord.mediation.forms import (
    AttendanceForm,
    EndForm,
    NoteForm,
    ReasonForm,
    SessionBookForm,
    SessionCancelForm,
    SessionEndForm,
    SessionMoveForm,
    SessionStartForm,
)
from accord.mediation.models import MediationSession
from accord.organisations.models import Role
from accord.organisations.selectors import is_staff_member, staff_in


def _case(request: HttpRequest, case_pk: int, action: str = "change") -> Case:
    """The case if the user may open its workspace (else 404) and do the action (else 403)."""
    try:
        case = case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_workspace"
        )
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not case_policy.can(request.user, action, case):
        raise PermissionDenied("You do not have permission to do that on this case.")
    return case


def _session(request: HttpRequest, case: Case, session_pk: int) -> MediationSession:
    try:
        return selectors.session_get_for(user=request.user, case=case, session_id=session_pk)
    except NotFoundOrHidden:
        raise Http404("No such session.") from None


@staff_required
@require_http_methods(["GET", "POST"])
def session_book(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Book a joint or shuttle session; warns who still has to sign the Agreement to Mediate."""
    from accord.agreements.gate import unsigned_required

    case = _case(request, case_pk)
    refusal = suitability.booking_refusal(case)
    if refusal:
        # The safety gate refuses every format: say why instead of offering the form.
        return render(
            request,
            "mediation/session_book_refused.html",
            {
                "nav": "cases",
                "case": case,
                "refusal": refusal,
                "can_override": suitability.may_override(request.user, case),
            },
        )
    form = SessionBookForm(
        posted(request),
        participants=case.participants.order_by("full_name"),
        mediators=staff_in(case.organisation, Role.MEDIATOR).filter(
            pk__in=[m for m in (case.lead_mediator_id, case.co_mediator_id) if m]
        ),
        initial={
            "duration_minutes": 120,
            "mediators": [m for m in (case.lead_mediator_id, case.co_mediator_id) if m],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        book = lambda: services.session_book(  # noqa: E731
            actor=request.user,
            case=case,
            format=data["format"],
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            place=data["place"],
            attendees=list(data["attendees"]),
            mediators=list(data["mediators"]),
            confirm_warnings=bool(data["confirm_warnings"]),
            confirm_reason=data["confirm_reason"],
        )
        if submit(form, book):
            messages.success(
                request,
                "The session has been booked. Confirmation emails are queued and go out shortly.",
            )
            return redirect(section_url(case, "mediation"))
    return form_page(
        request,
        "mediation/session_book.html",
        form,
        case=case,
        unsigned=unsigned_required(case),
        # Some formats may still be refused (shuttle decision): say so, and offer the override.
        joint_refusal=suitability.session_refusal(case, "joint"),
        can_override=suitability.may_override(request.user, case),
    )


@staff_required(cache=False)
@require_GET
def session_detail(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """A session as the case's staff see it: opening, attendance and the notes they may read."""
    case = _case(request, case_pk, "view_workspace")
    session = _session(request, case, session_pk)
    opening = getattr(session, "opening", None) if session.started_at else None
    context: dict[str, Any] = {
        "nav": "cases",
        "case": case,
        "session": session,
        "opening": opening,
        "accounts": selectors.opening_accounts_for(user=request.user, session=session),
        "attendance": list(session.attendance.select_related("participant")),
        "notes": [
            n
            for n in selectors.notes_for(user=request.user, case=case)
            if n.session_id == session.pk
        ],
        "can_run": services.is_case_mediator(request.user, case)
        or session.mediators.filter(pk=request.user.pk).exists(),
        "can_change": case_policy.can(request.user, "change", case),
    }
    return render(request, "mediation/session_detail.html", context)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def session_start(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Start a session and record its opening."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    first = not case.mediation_sessions.filter(number__isnull=False).exists()
    parties = [p for p in session.attendees.all() if p.is_party]
    form = SessionStartForm(posted(request), first=first, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = lambda: services.session_start(  # noqa: E731
            actor=request.user,
            session=session,
            ground_rules_restated=bool(data["ground_rules_restated"]),
            questions_invited=bool(data["questions_invited"]),
            full_rules=data.get("full_rules") or (),
            opening_accounts=form.opening_accounts() if first else None,
        )
        if submit(form, start):
            messages.success(request, "The session has started.")
            return redirect("mediation:session", case_pk=case.pk, session_pk=session.pk)
    return form_page(
        request, "mediation/session_start.html", form, case=case, session=session, first=first
    )


@staff_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Record who attended, came late, left early or did not attend."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    initial = {f"attendance_{a.participant_id}": a.status for a in session.attendance.all()}
    form = AttendanceForm(posted(request), people=session.attendees.all(), initial=initial)
    if request.method == "POST" and form.is_valid():
        record = lambda: services.session_record_attendance(  # noqa: E731
            actor=request.user, session=session, attendance=form.attendance()
        )
        if submit(form, record):
            messages.success(request, "Attendance has been recorded.")
            return redirect("mediation:session", case_pk=case.pk, session_pk=session.pk)
    return form_page(request, "mediation/session_attendance.html", form, case=case, session=session)


@staff_required
@require_http_methods(["GET", "POST"])
def session_end(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Record that a session in progress has finished."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    form = SessionEndForm(posted(request))
    end = lambda: services.session_end(actor=request.user, session=session)  # noqa: E731
    if request.method == "POST" and form.is_valid() and submit(form, end):
        messages.success(request, "The session has been recorded as held.")
        return redirect("mediation:session", case_pk=case.pk, session_pk=session.pk)
    return form_page(request, "mediation/session_end.html", form, case=case, session=session)


@staff_required
@require_http_methods(["GET", "POST"])
def session_move(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Move a booked session to a new time or place; the attendees are told."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    form = SessionMoveForm(
        posted(request),
        initial={
            "starts_at": session.starts_at,
            "duration_minutes": session.duration_minutes,
            "mode": session.mode,
            "place": session.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        move = lambda: services.session_move(  # noqa: E731
            actor=request.user,
            session=session,
            starts_at=data["starts_at"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            place=data["place"],
            confirm_warnings=bool(data["confirm_warnings"]),
            confirm_reason=data["confirm_reason"],
        )
        if submit(form, move):
            messages.success(request, "The session has been moved. Emails about it are queued.")
            return redirect("mediation:session", case_pk=case.pk, session_pk=session.pk)
    return form_page(request, "mediation/session_move.html", form, case=case, session=session)


@login_required
@require_GET
def session_calendar(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """The session's calendar file, for the case team or for a portal participant attending it."""
    try:
        case = case_selectors.case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such session.") from None
    if is_staff_member(request.user):
        session = _session(request, case, session_pk)
    else:
        mine = MediationSession.objects.filter(
            case=case,
            pk=session_pk,
            attendees__user_id=request.user.pk or 0,
            attendees__portal_access=True,
        ).first()
        if mine is None or not case_policy.can(request.user, "view", case):
            raise Http404("No such session.")
        session = mine
    response = HttpResponse(
        services.session_ics(session), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Cancel a booked session, or record that it did not go ahead."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    form = SessionCancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cancel = lambda: services.session_cancel(  # noqa: E731
            actor=request.user,
            session=session,
            reason=data["reason"],
            did_not_attend=bool(data["did_not_attend"]),
        )
        if submit(form, cancel):
            messages.success(request, "The session will not go ahead.")
            return redirect(section_url(case, "mediation"))
    return form_page(request, "mediation/session_cancel.html", form, case=case, session=session)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """Write a private note or a shared summary of a session."""
    case = _case(request, case_pk)
    session = _session(request, case, session_pk)
    form = NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        add = lambda: services.session_note_add(  # noqa: E731
            actor=request.user, session=session, kind=data["kind"], text=data["text"]
        )
        if submit(form, add):
            messages.success(request, "The note has been saved.")
            return redirect("mediation:session", case_pk=case.pk, session_pk=session.pk)
    return form_page(request, "mediation/note_add.html", form, case=case, session=session)


def _status_page(
    request: HttpRequest, case_pk: int, form_class: type, template: str, call: Any, done: str
) -> HttpResponse:
    case = _case(request, case_pk)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: call(actor=request.user, case=case, **data)):
            messages.success(request, done)
            return redirect(section_url(case, "mediation"))
    return form_page(request, template, form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def mediation_pause(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Pause the mediation."""
    return _status_page(
        request,
        case_pk,
        ReasonForm,
        "mediation/mediation_pause.html",
        services.mediation_pause,
        "The mediation has been paused.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def mediation_end(request: HttpRequest, case_pk: int) -> HttpResponse:
    """End the mediation, with the reason."""
    return _status_page(
        request,
        case_pk,
        EndForm,
        "mediation/mediation_end.html",
        services.mediation_end,
        "The mediation has ended.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def mediation_reopen(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Reopen a paused or ended mediation."""
    return _status_page(
        request,
        case_pk,
        ReasonForm,
        "mediation/mediation_reopen.html",
        services.mediation_reopen,
        "The mediation has been reopened.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def suitability_override(request: HttpRequest, case_pk: int) -> HttpResponse:
    """An accredited case mediator overrides the suitability gate, with a recorded reason."""
    case = _case(request, case_pk)
    if not suitability.may_override(request.user, case):
        raise PermissionDenied("Only an accredited mediator of this case can override the gate.")
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        record = lambda: suitability.override_record(  # noqa: E731
            actor=request.user, case=case, reason=form.cleaned_data["reason"]
        )
        if submit(form, record):
            messages.success(request, "The override has been recorded; your supervisor can see it.")
            return redirect("cases:detail", case.pk)
    return form_page(request, "mediation/suitability_override.html", form, case=case)
