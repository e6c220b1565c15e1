"""Complaint pages: the service's log (admins and supervisors), one complaint, and the portal.

Every page reads through the complaints selectors: the member of staff complained about, and
anyone else on the case team, gets 404 until an admin shares the complaint with them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for, cases_for_participant
from accord.complaints import policy, selectors, services
from accord.complaints.forms import (
    AcknowledgeForm,
    ComplaintLogForm,
    PortalComplaintForm,
    RespondForm,
)
from accord.core.errors import DomainError, NotFoundOrHidden, ValidationFailed
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.organisations.models import Organisation
from accord.organisations.selectors import staff_in


def _complaint(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.complaint_get_for_staff(user=request.user, complaint_id=pk)
    except NotFoundOrHidden:
        raise Http404("No such complaint.") from None


def _handler_organisation(request: HttpRequest) -> Organisation:
    orgs = policy.handler_organisations(request.user)
    if not orgs:
        raise Http404("No such page.")
    return Organisation.objects.get(pk=orgs[0])


@staff_required(cache=False)
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    """The complaints log: every complaint the user may see, newest first."""
    complaints = list(selectors.complaints_for_staff(user=request.user)[:500])
    return render(
        request,
        "complaints/list.html",
        {
            "nav": "records",
            "complaints": complaints,
            "can_log": bool(policy.handler_organisations(request.user)),
        },
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def complaint_log(request: HttpRequest) -> HttpResponse:
    """Log a complaint received by letter, email or phone."""
    organisation = _handler_organisation(request)
    form = ComplaintLogForm(posted(request), staff=staff_in(organisation))
    created: list[Any] = []

    def action() -> None:
        data = dict(form.cleaned_data)
        reference = data.pop("case_reference", "").strip()
        case = None
        if reference:
            case = Case.objects.filter(organisation=organisation, reference=reference).first()
            if case is None:
                raise ValidationFailed(
                    "The complaint could not be logged.",
                    field_errors={
                        "case_reference": ["No case of this service has that reference."]
                    },
                )
        complainant = None
        if case is not None:
            complainant = (
                Participant.objects.filter(case=case, full_name__iexact=data["complainant_name"])
                .order_by("id")
                .first()
            )
        created.append(
            services.complaint_record(
                actor=request.user,
                organisation=organisation,
                case=case,
                complainant=complainant,
                **data,
            )
        )

    if request.method == "POST" and form.is_valid() and submit(form, action):
        messages.success(request, "The complaint has been logged.")
        return redirect("complaints:detail", created[0].pk)
    return form_page(request, "complaints/log.html", form, nav="records")


@staff_required(cache=False)
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One complaint, its targets, its response and the FMSB window."""
    complaint = _complaint(request, pk)
    return render(
        request,
        "complaints/detail.html",
        {
            "nav": "records",
            "complaint": complaint,
            "can_handle": policy.can_handle(request.user, complaint),
            "can_share": policy.can_share(request.user, complaint),
            "acknowledge_form": AcknowledgeForm(),
            "respond_form": RespondForm(),
        },
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def complaint_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = AcknowledgeForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.complaint_acknowledge(
                actor=request.user, complaint=complaint, on=form.cleaned_data["on"]
            ),
        )
    ):
        messages.success(request, "The acknowledgement has been recorded.")
        return redirect("complaints:detail", complaint.pk)
    return form_page(
        request, "complaints/acknowledge.html", form, nav="records", complaint=complaint
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def complaint_respond(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = RespondForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.complaint_respond(
                actor=request.user, complaint=complaint, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The response has been recorded.")
        return redirect("complaints:detail", complaint.pk)
    return form_page(request, "complaints/respond.html", form, nav="records", complaint=complaint)


@staff_required(cache=False)
@require_POST
def complaint_consent(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    try:
        services.complaint_consent_set(
            actor=request.user, complaint=complaint, consent=request.POST.get("consent") == "yes"
        )
    except DomainError as exc:
        raise_http(exc)
    messages.success(request, "The consent has been recorded.")
    return redirect("complaints:detail", complaint.pk)


@staff_required(cache=False)
@require_POST
def complaint_share(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    try:
        services.complaint_share_with_subject(actor=request.user, complaint=complaint)
    except DomainError as exc:
        raise_http(exc)
    messages.success(request, "The complaint is now shared with the member of staff it is about.")
    return redirect("complaints:detail", complaint.pk)


# Portal


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", {"nav": "portal"}, status=404)


@login_required
@require_http_methods(["GET", "POST"])
def portal_complaint_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A party complains about the service from their portal."""
    try:
        case = case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        return _not_found(request)
    if not cases_for_participant(user=request.user).filter(pk=case.pk).exists():
        return _not_found(request)
    form = PortalComplaintForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.complaint_make_from_portal(
                actor=request.user, case=case, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Your complaint has been sent. The service will acknowledge it.")
        return redirect("complaints:portal_list")
    status = 422 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "complaints/portal_new.html",
        {"nav": "portal", "case": case, "form": form},
        status=status,
    )


@login_required
@require_GET
def portal_complaint_list(request: HttpRequest) -> HttpResponse:
    """A complainant's own complaints and where each stands."""
    complaints = list(selectors.complaints_for_party(user=request.user))
    return render(
        request, "complaints/portal_list.html", {"nav": "portal", "complaints": complaints}
    )
