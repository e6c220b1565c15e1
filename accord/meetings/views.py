"""Staff pages for MIAMs, under a case: book one and record that it was held.

Views only parse input, call a selector or a service, and render. A case the user may not open
answers 404; one they may open but not change answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.parts_web import part_refusal_page
from accord.cases.workspace import section_url
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.meetings import selectors, services
from accord.meetings.forms import (
    FundingForm,
    MiamBookForm,
    MiamCancelForm,
    MiamCertificateForm,
    MiamDidNotAttendForm,
    MiamHeldForm,
    MiamMoveForm,
    MiamRecordPastForm,
    ScreeningForm,
    SuitabilityForm,
)
from accord.meetings.models import SCREENING_FLAGS, SCREENING_QUESTIONS, Miam, Screening
from accord.organisations.models import Role
from accord.organisations.selectors import is_staff_member, staff_in


def _case(request: HttpRequest, case_pk: int, action: str) -> Case:
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


@staff_required
@require_http_methods(["GET", "POST"])
def miam_book(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Book a MIAM for a party of the case (or a joint MIAM on request)."""
    case = _case(request, case_pk, "change")
    if refused := part_refusal_page(request, case, "miam"):
        return refused
    form = MiamBookForm(
        posted(request),
        parties=case.participants.filter(role__in=PARTY_ROLES).order_by("full_name"),
        mediators=staff_in(case.organisation, Role.MEDIATOR),
        initial={"mediator": case.lead_mediator_id, "duration_minutes": 45},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.miam_book(
                actor=request.user,
                case=case,
                attendees=list(data["attendees"]),
                joint=bool(data["joint"]),
                mediator=data["mediator"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                place=data["place"],
                add_to_team=bool(data["add_to_team"]),
                confirm_warnings=bool(data["confirm_warnings"]),
                confirm_reason=data["confirm_reason"],
            ),
        ):
            messages.success(
                request,
                "The MIAM has been booked. Confirmation emails are queued and go out shortly.",
            )
            return redirect(section_url(case, "preparation"))
    return form_page(request, "meetings/miam_book.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def miam_record_past(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a MIAM that already took place (its date in the past), with what was covered."""
    case = _case(request, case_pk, "change")
    if refused := part_refusal_page(request, case, "miam"):
        return refused
    form = MiamRecordPastForm(
        posted(request),
        parties=case.participants.filter(role__in=PARTY_ROLES).order_by("full_name"),
        mediators=staff_in(case.organisation, Role.MEDIATOR),
        initial={"mediator": case.lead_mediator_id, "duration_minutes": 45},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.miam_book(
                actor=request.user,
                case=case,
                attendees=list(data["attendees"]),
                joint=bool(data["joint"]),
                mediator=data["mediator"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                place=data["place"],
                add_to_team=bool(data["add_to_team"]),
                already_held=True,
                covered=data["covered"],
            ),
        ):
            messages.success(request, "The MIAM has been recorded as held.")
            return redirect(section_url(case, "preparation"))
    return form_page(request, "meetings/miam_record_past.html", form, case=case)


def _miam(request: HttpRequest, case: Case, miam_pk: int) -> Miam:
    try:
        return selectors.miam_get_for(user=request.user, case=case, miam_id=miam_pk)
    except NotFoundOrHidden:
        raise Http404("No such MIAM.") from None


@staff_required
@require_http_methods(["GET", "POST"])
def miam_move(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """Move a booked MIAM to a new time or place; those attending are told."""
    case = _case(request, case_pk, "change")
    miam = _miam(request, case, miam_pk)
    form = MiamMoveForm(
        posted(request),
        initial={
            "starts_at": miam.starts_at,
            "duration_minutes": miam.duration_minutes,
            "mode": miam.mode,
            "place": miam.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.miam_move(
                actor=request.user,
                miam=miam,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                place=data["place"],
                confirm_warnings=bool(data["confirm_warnings"]),
                confirm_reason=data["confirm_reason"],
            ),
        ):
            messages.success(
                request, "The MIAM has been moved. Emails about the change are queued."
            )
            return redirect(section_url(case, "preparation", f"miam-{miam.pk}"))
    return form_page(request, "meetings/miam_move.html", form, case=case, miam=miam)


@staff_required
@require_http_methods(["GET", "POST"])
def miam_cancel(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """Cancel a booked MIAM with a reason; those attending are told it is cancelled."""
    case = _case(request, case_pk, "change")
    miam = _miam(request, case, miam_pk)
    form = MiamCancelForm(posted(request))
    cancel = lambda: services.miam_cancel(  # noqa: E731
        actor=request.user, miam=miam, reason=form.cleaned_data["reason"]
    )
    if request.method == "POST" and form.is_valid() and submit(form, cancel):
        messages.success(
            request, "The MIAM has been cancelled. Emails telling those attending are queued."
        )
        return redirect(section_url(case, "preparation", f"miam-{miam.pk}"))
    return form_page(request, "meetings/miam_cancel.html", form, case=case, miam=miam)


@staff_required
@require_http_methods(["GET", "POST"])
def miam_did_not_attend(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """Record that the party (or some parties of a joint MIAM) did not come."""
    case = _case(request, case_pk, "change")
    miam = _miam(request, case, miam_pk)
    attendees = miam.attendees.order_by("full_name")
    form = MiamDidNotAttendForm(
        posted(request), attendees=attendees, initial={"absent": list(attendees)}
    )
    dna = lambda: services.miam_mark_did_not_attend(  # noqa: E731
        actor=request.user, miam=miam, absent=list(form.cleaned_data["absent"])
    )
    if request.method == "POST" and form.is_valid() and submit(form, dna):
        messages.success(request, "The MIAM has been recorded as not attended.")
        return redirect(section_url(case, "preparation", f"miam-{miam.pk}"))
    return form_page(request, "meetings/miam_did_not_attend.html", form, case=case, miam=miam)


@login_required
@require_http_methods(["GET"])
def miam_calendar(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """The MIAM's calendar file, for the case team or for a portal participant attending it."""
    try:
        case = case_selectors.case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such MIAM.") from None
    if is_staff_member(request.user):
        miam = _miam(request, case, miam_pk)
    else:
        mine = selectors.miams_attended_by(user=request.user, case=case).filter(pk=miam_pk).first()
        if mine is None:
            raise Http404("No such MIAM.")
        miam = mine
    response = HttpResponse(services.miam_ics(miam), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="miam-{miam.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def miam_record_held(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """Record that a MIAM was held, with the checklist of what was covered."""
    case = _case(request, case_pk, "change")
    if refused := part_refusal_page(request, case, "miam"):
        return refused
    try:
        miam = selectors.miam_get_for(user=request.user, case=case, miam_id=miam_pk)
    except NotFoundOrHidden:
        raise Http404("No such MIAM.") from None
    form = MiamHeldForm(posted(request))
    held = lambda: services.miam_record_held(  # noqa: E731
        actor=request.user, miam=miam, covered=form.cleaned_data["covered"]
    )
    if request.method == "POST" and form.is_valid() and submit(form, held):
        messages.success(request, "The MIAM has been recorded as held.")
        return redirect(section_url(case, "preparation"))
    return form_page(request, "meetings/miam_held.html", form, case=case, miam=miam)


# Private screening: every page answers 404 to anyone outside the restricted audience.


def _screening_context(
    request: HttpRequest, case_pk: int, miam_pk: int, participant_pk: int
) -> tuple[Case, Miam, Participant, Screening | None]:
    """The case, MIAM, party and their screening (or None); 404 unless `view_restricted`."""
    try:
        case = case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_restricted"
        )
        miam = selectors.miam_get_for(user=request.user, case=case, miam_id=miam_pk)
        screening = selectors.screening_find_for(
            user=request.user, miam=miam, participant_id=participant_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    participant = miam.attendees.filter(pk=participant_pk).first()
    if participant is None:
        raise Http404("No such page.")
    return case, miam, participant, screening


def _initial(screening: Screening | None) -> dict[str, Any]:
    if screening is None:
        return {}
    names = [name for name, _ in SCREENING_QUESTIONS]
    fields = [*names, *(f"{n}_notes" for n in names), *SCREENING_FLAGS]
    fields += ["consent_to_contact_social_worker", "social_worker_details"]
    return {name: getattr(screening, name) for name in fields}


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def screening_edit(
    request: HttpRequest, case_pk: int, miam_pk: int, participant_pk: int
) -> HttpResponse:
    """Record or update a party's private screening, and show the route it suggests."""
    case, miam, participant, screening = _screening_context(
        request, case_pk, miam_pk, participant_pk
    )
    if refused := part_refusal_page(request, case, "screening"):
        return refused
    form = ScreeningForm(posted(request), initial=_initial(screening))
    if request.method == "POST" and form.is_valid():
        answers = dict(form.cleaned_data)
        save = lambda: services.screening_save(  # noqa: E731
            actor=request.user, miam=miam, participant=participant, answers=answers
        )
        if submit(form, save):
            messages.success(request, "The screening has been saved.")
            return redirect(
                "meetings:screening",
                case_pk=case.pk,
                miam_pk=miam.pk,
                participant_pk=participant.pk,
            )
    return form_page(
        request,
        "meetings/screening.html",
        form,
        case=case,
        miam=miam,
        participant=participant,
        screening=screening,
        suggestion=services.screening_suggestion(screening) if screening else None,
    )


@staff_required(cache=False)
@require_POST
def screening_raise_concern(
    request: HttpRequest, case_pk: int, miam_pk: int, participant_pk: int
) -> HttpResponse:
    """Raise a safeguarding concern, prefilled from the screening, in one step."""
    case, miam, participant, screening = _screening_context(
        request, case_pk, miam_pk, participant_pk
    )
    if refused := part_refusal_page(request, case, "screening"):
        return refused
    if screening is None:
        raise Http404("No such page.")
    try:
        concern = services.screening_raise_concern(actor=request.user, screening=screening)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(
            "meetings:screening", case_pk=case.pk, miam_pk=miam.pk, participant_pk=participant.pk
        )
    messages.success(request, "A safeguarding concern has been raised from the screening.")
    return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def suitability_decide(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case mediator records whether mediation is suitable, and how it goes ahead."""
    case = _case(request, case_pk, "view_workspace")
    if request.user.pk not in (case.lead_mediator_id, case.co_mediator_id):
        raise PermissionDenied("Only the case's mediator can record the suitability decision.")
    current = selectors.suitability_for(user=request.user, case=case)
    initial = (
        {"route": current.route, "reasons": current.reasons, "signposting": current.signposting}
        if current
        else {}
    )
    form = SuitabilityForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decide = lambda: services.suitability_decide(  # noqa: E731
            actor=request.user,
            case=case,
            route=data["route"],
            reasons=data["reasons"],
            signposting=data["signposting"],
        )
        if submit(form, decide):
            messages.success(request, "The suitability decision has been recorded.")
            return redirect(section_url(case, "preparation"))
    return form_page(request, "meetings/suitability.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def miam_certificate_issue(
    request: HttpRequest, case_pk: int, miam_pk: int, participant_pk: int
) -> HttpResponse:
    """The accredited mediator signs and issues a MIAM certificate for a party who attended."""
    case = _case(request, case_pk, "view_workspace")
    if refused := part_refusal_page(request, case, "miam_certificate"):
        return refused
    try:
        miam = selectors.miam_get_for(user=request.user, case=case, miam_id=miam_pk)
    except NotFoundOrHidden:
        raise Http404("No such MIAM.") from None
    participant = miam.attendees.filter(pk=participant_pk).first()
    if participant is None:
        raise Http404("No such party at this MIAM.")
    refusal = services.certificate_refusal(actor=request.user, case=case)
    if refusal:
        # Say why, rather than a bare 403: the mediator needs to know whom to ask.
        return render(
            request,
            "meetings/certificate_refused.html",
            {"case": case, "miam": miam, "participant": participant, "reason": refusal},
            status=403,
        )
    form = MiamCertificateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issued = lambda: services.miam_certificate_issue(  # noqa: E731
            actor=request.user,
            miam=miam,
            party=participant,
            outcome=data["outcome"],
            court_application=data["court_application"],
            signed_name=data["signed_name"],
            confirm=bool(data["confirm"]),
            sole_trader_name=data["sole_trader_name"],
        )
        if submit(form, issued):
            messages.success(request, "The MIAM certificate has been signed and issued.")
            return redirect(section_url(case, "preparation", f"miam-{miam.pk}"))
    return form_page(
        request,
        "meetings/certificate_issue.html",
        form,
        case=case,
        miam=miam,
        participant=participant,
    )


# Funding: staff only, per party of the case.


@staff_required
@require_http_methods(["GET"])
def funding_list(request: HttpRequest, case_pk: int) -> HttpResponse:
    """How each party of the case is funded, with links to record it."""
    case = _case(request, case_pk, "view_workspace")
    if refused := part_refusal_page(request, case, "funding"):
        return refused
    return render(
        request,
        "meetings/funding_list.html",
        {
            "case": case,
            "nav": "cases",
            "rows": selectors.party_fundings_for(user=request.user, case=case),
            "can_change": case_policy.can(request.user, "change", case),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def funding_record(request: HttpRequest, case_pk: int, participant_pk: int) -> HttpResponse:
    """Record how one party is funded: legal aid, the voucher, or private fees."""
    case = _case(request, case_pk, "change")
    if refused := part_refusal_page(request, case, "funding"):
        return refused
    participant = case.participants.filter(role__in=PARTY_ROLES, pk=participant_pk).first()
    if participant is None:
        raise Http404("No such party.")
    current = (
        selectors.fundings_for(user=request.user, case=case).filter(participant=participant).first()
    )
    initial = (
        {
            "kind": current.kind,
            "legal_aid_basis": current.legal_aid_basis,
            "legal_aid_outcome": current.legal_aid_outcome,
            "voucher_amount": current.voucher_amount,
        }
        if current
        else {}
    )
    form = FundingForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = lambda: services.funding_record(  # noqa: E731
            actor=request.user,
            participant=participant,
            kind=data["kind"],
            legal_aid_basis=data["legal_aid_basis"],
            legal_aid_outcome=data["legal_aid_outcome"],
            voucher_amount=data["voucher_amount"],
        )
        if submit(form, record):
            messages.success(request, f"The funding of {participant.full_name} has been recorded.")
            return redirect("meetings:funding", case.pk)
    return form_page(
        request, "meetings/funding_record.html", form, case=case, participant=participant
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def screening_repeat(request: HttpRequest, case_pk: int, participant_pk: int) -> HttpResponse:
    """Screen a party again at any point of the case (restricted; FMC Code: throughout)."""
    try:
        case = case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_restricted"
        )
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    participant = case.participants.filter(pk=participant_pk, role="party").first()
    if participant is None:
        raise Http404("No such page.")
    form = ScreeningForm(posted(request))
    if request.method == "POST" and form.is_valid():
        answers = dict(form.cleaned_data)
        save = lambda: services.screening_repeat(  # noqa: E731
            actor=request.user, case=case, participant=participant, answers=answers
        )
        if submit(form, save):
            messages.success(request, "The new screening has been saved.")
            return redirect("cases:detail", case.pk)
    return form_page(
        request, "meetings/screening_repeat.html", form, case=case, participant=participant
    )
