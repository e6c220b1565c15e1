"""Willingness pages: the staff forms under a case, and the public answer page.

The public page (`/respond/<code>/`) needs no sign-in: the code is the key. It shows only the
service's name and what a MIAM is, never anything about the person who enquired. Its answers
are rate-limited per address like the public enquiry form, it is never cached, and it sends
`Referrer-Policy: same-origin` so the code cannot leak to another site through a link. (Not
`no-referrer`: with it Chromium sends `Origin: null` on the page's own form, which Django's CSRF
check rightly refuses; the browser journey test caught that.)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import PARTY_ROLES, Case
from accord.cases.parts_web import part_refusal_page
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.willingness import codes, ratelimit, selectors, services
from accord.willingness.forms import (
    AnswerForm,
    CodeForm,
    ContactAttemptForm,
    CourtOrderForm,
    InviteForm,
    WithdrawForm,
)
from accord.willingness.models import InvitationChannel, WillingnessInvitation

#: Answers (and typed codes) accepted from one address in an hour.
RATE_LIMIT = ratelimit.RATE_LIMIT


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


def _parties(case: Case) -> Any:
    return case.participants.filter(role__in=PARTY_ROLES).order_by("full_name")


@staff_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Invite the other party by email, or make a printable letter."""
    case = _case(request, case_pk)
    if refused := part_refusal_page(request, case, "willingness"):
        return refused
    channel = request.GET.get("channel")
    initial = {"channel": channel} if channel in InvitationChannel.values else {}
    form = InviteForm(posted(request), parties=_parties(case), initial=initial)
    made: list[WillingnessInvitation] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: made.append(
                services.willingness_invite(
                    actor=request.user,
                    case=case,
                    participant=data["participant"],
                    channel=data["channel"],
                    override_reason=data["override_reason"],
                )
            ),
        ):
            if made[0].channel == InvitationChannel.EMAIL:
                messages.success(request, "The invitation email is queued and goes out shortly.")
            else:
                messages.success(
                    request, "The letter has been made: download it from the willingness panel."
                )
            return redirect(section_url(case, "people"))
    return form_page(
        request, "willingness/invite.html", form, case=case, safety=selectors.enquiry_safety(case)
    )


@staff_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, case_pk: int, invitation_pk: int) -> HttpResponse:
    """Withdraw an unanswered invitation; its link stops working."""
    case = _case(request, case_pk)
    try:
        invitation = selectors.invitation_get_for(
            user=request.user, case=case, invitation_id=invitation_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such invitation.") from None
    form = WithdrawForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.willingness_withdraw(
                actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, "The invitation has been withdrawn.")
        return redirect(section_url(case, "people"))
    return form_page(request, "willingness/withdraw.html", form, case=case, invitation=invitation)


@staff_required
@require_http_methods(["GET", "POST"])
def court_order(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a court's order to attend a MIAM or mediation."""
    case = _case(request, case_pk)
    if refused := part_refusal_page(request, case, "willingness"):
        return refused
    form = CourtOrderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.court_order_record(
                actor=request.user,
                case=case,
                court=data["court"],
                ordered_on=data["ordered_on"],
                orders=data["orders"],
                court_case_number=data["court_case_number"],
                details=data["details"],
                comply_by=data["comply_by"],
            ),
        ):
            messages.success(
                request,
                "The court order is recorded. Invitations to the other party now mention it.",
            )
            return redirect(section_url(case, "people"))
    return form_page(request, "willingness/court_order.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def contact_attempt(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Log an attempt to reach the other party."""
    case = _case(request, case_pk)
    if refused := part_refusal_page(request, case, "willingness"):
        return refused
    form = ContactAttemptForm(posted(request), parties=_parties(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.contact_attempt_log(
                actor=request.user,
                case=case,
                participant=data["participant"],
                method=data["method"],
                at=data["at"],
                outcome=data["outcome"],
            ),
        ):
            messages.success(request, "The contact attempt has been logged.")
            return redirect(section_url(case, "people"))
    return form_page(request, "willingness/contact_attempt.html", form, case=case)


# The public answer pages.


def _public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Never cached, and never telling another site the address (which holds the code)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapped)


def _rate_limited(request: HttpRequest) -> bool:
    """Count this POST; True once the address has sent too many this hour."""
    return ratelimit.attempt_refused(
        request.META.get("REMOTE_ADDR", ""), channel="page", limit=RATE_LIMIT
    )


def _closed(request: HttpRequest, invitation: WillingnessInvitation | None, reason: str) -> Any:
    """The kind page for a link that cannot be used (unknown, answered or expired)."""
    organisation = invitation.case.organisation if invitation else None
    status = 200 if reason == "answered" else 404 if reason == "unknown" else 410
    return render(
        request,
        "willingness/respond_closed.html",
        {"organisation": organisation, "reason": reason, "nav": ""},
        status=status,
    )


@_public
@require_http_methods(["GET", "POST"])
def respond_start(request: HttpRequest) -> HttpResponse:
    """Type the code from a printed letter; it leads to the answer page."""
    form = CodeForm(posted(request))
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "willingness/rate_limited.html", {"nav": ""}, status=429)
        if form.is_valid():
            code = codes.normalise(form.cleaned_data["code"])
            if code and selectors.invitation_for_code(code) is not None:
                return redirect("willingness:respond", secret=code)
            form.add_error("code", "We do not recognise that code. Check it against your letter.")
    return form_page(request, "willingness/respond_start.html", form, nav="")


@_public
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, secret: str) -> HttpResponse:
    """The invited person's answer: willing, not willing (with reasons), or questions first."""
    if request.method == "POST" and _rate_limited(request):
        return render(request, "willingness/rate_limited.html", {"nav": ""}, status=429)
    invitation = selectors.invitation_for_code(secret)
    if invitation is None:
        return _closed(request, None, "unknown")
    problem = services.link_problem(invitation)
    if problem:
        return _closed(request, invitation, problem)
    form = AnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = submit(
                form,
                lambda: services.willingness_answer(
                    secret=secret,
                    answer=data["answer"],
                    text=data["text"],
                    ip=request.META.get("REMOTE_ADDR", ""),
                ),
            )
        except Http404:
            return _closed(request, None, "unknown")
        if done:
            return redirect("willingness:respond", secret=codes.normalise(secret))
        # Two answers at once: the other one won; say so kindly rather than show the form.
        problem = services.link_problem(WillingnessInvitation.objects.get(pk=invitation.pk))
        if problem:
            return _closed(request, invitation, problem)
    return form_page(
        request,
        "willingness/respond.html",
        form,
        nav="",
        organisation=invitation.case.organisation,
        respond_by=invitation.respond_by,
        court_order=services.court_order_words(invitation.case),
    )
