"""Enquiry pages: the public form for each service, the staff form, and the conflict decision.

The public form answers bots quietly (the honeypot and too-fast submissions get the same thank
you page and save nothing) and limits how often one address may send to one service. Nothing on
these pages says anything about cases that already exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accord.cases import selectors as case_selectors
from accord.cases.kinds import KINDS
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden, NotPermitted
from accord.core.web import form_page, posted, staff_required, submit
from accord.intake import offer, ratelimit, services
from accord.intake.forms import (
    STARTED_SALT,
    BaseEnquiryForm,
    ConflictDecisionForm,
    EnquiryForm,
    GeneralEnquiryForm,
    SendEnquiryForm,
)
from accord.intake.models import Enquiry, EnquirySource
from accord.intake.selectors import conflict_summary, services_with_forms
from accord.organisations.models import Organisation
from accord.organisations.selectors import roles_in, staff_organisation_for

logger = logging.getLogger(__name__)

#: Accepted public enquiries from one address to one service in an hour (shared with the API).
RATE_LIMIT = ratelimit.RATE_LIMIT
#: A person cannot read and fill in the form faster than this; bots do.
MIN_FILL_SECONDS = 3
#: A form left open longer than this is sent back with a fresh timestamp, not rejected.
MAX_FILL_SECONDS = 60 * 60 * 24
_OPENERS = services.ENQUIRY_RECORDERS


def _rate_key(organisation: Organisation, ip: str) -> str:
    return ratelimit.rate_key(organisation.pk, ip)


def _rate_limited(key: str) -> bool:
    return ratelimit.rate_limited(key, RATE_LIMIT)


def _count(key: str) -> None:
    ratelimit.count(key)


def _looks_like_a_bot(form: BaseEnquiryForm) -> bool:
    """True for a filled honeypot, a missing or forged timestamp, or a form sent too fast."""
    if form.data.get("website"):
        return True
    try:
        # Still valid within MIN_FILL_SECONDS means it was sent too soon after the page loaded.
        signing.TimestampSigner(salt=STARTED_SALT).unsign(
            str(form.data.get("started") or ""), max_age=MIN_FILL_SECONDS
        )
    except signing.SignatureExpired:
        return False
    except signing.BadSignature:
        return True
    return True


def _timestamp_expired(form: BaseEnquiryForm) -> bool:
    try:
        signing.TimestampSigner(salt=STARTED_SALT).unsign(
            str(form.data.get("started") or ""), max_age=MAX_FILL_SECONDS
        )
    except signing.SignatureExpired:
        return True
    except signing.BadSignature:
        return False
    return False


_SERVICES: dict[str, Callable[..., Enquiry]] = {
    "family": services.enquiry_submit,
    "send": services.send_enquiry_submit,
    "general": services.general_enquiry_submit,
}


def _form_class(group: str) -> type[BaseEnquiryForm]:
    return {"family": EnquiryForm, "send": SendEnquiryForm, "general": GeneralEnquiryForm}[group]


def _bind(
    group: str, kinds: tuple[str, ...], data: Any, *, public: bool = False
) -> BaseEnquiryForm:
    if group == "general":
        return GeneralEnquiryForm(data, kinds=kinds, public=public)
    return _form_class(group)(data, public=public)


def _submit(form: BaseEnquiryForm, **arguments: Any) -> Enquiry:
    return _SERVICES[form.group](**arguments, **form.service_arguments())


def _not_offered_page(
    request: HttpRequest, organisation: Organisation, form_code: str, *, staff: bool = False
) -> HttpResponse:
    """A clear answer for a form the service does not offer, with the forms it does offer."""
    return render(
        request,
        "intake/not_offered.html",
        {
            "organisation": organisation,
            "choices": offer.form_choices(organisation.kinds_offered),
            "asked": form_code,
            "staff": staff,
            "nav": "cases" if staff else "",
        },
        status=404,
    )


@never_cache
def public_home(request: HttpRequest) -> HttpResponse:
    """The front page for visitors who are not signed in: the services, their forms, sign-in."""
    return render(request, "intake/home.html", {"listing": services_with_forms(), "nav": ""})


def public_landing(request: HttpRequest) -> HttpResponse:
    """Every service's public enquiry forms, for the kinds each offers; no sign-in needed."""
    return render(request, "intake/landing.html", {"listing": services_with_forms(), "nav": ""})


@never_cache
@require_http_methods(["GET", "POST"])
def public_enquiry(request: HttpRequest, slug: str, form_code: str = "") -> HttpResponse:
    """The public enquiry form of one service for one kind (or group) of mediation.

    Without a form code the address is the service's own: its family form if it offers family
    mediation (the address older links use), else the list of the forms it offers.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    if not form_code:
        if not offer.kinds_for_form("family", organisation.kinds_offered):
            return render(
                request,
                "intake/service_forms.html",
                {
                    "organisation": organisation,
                    "choices": offer.form_choices(organisation.kinds_offered),
                    "nav": "",
                },
            )
        form_code = "family"
    if form_code not in offer.FORM_CODES:
        raise Http404("No such enquiry form.")
    kinds = offer.kinds_for_form(form_code, organisation.kinds_offered)
    if not kinds:
        return _not_offered_page(request, organisation, form_code)
    group = offer.group_of(form_code)
    context: dict[str, object] = {
        "organisation": organisation,
        "form_code": form_code,
        "form_label": _form_label(form_code, kinds),
    }
    key = _rate_key(organisation, request.META.get("REMOTE_ADDR", ""))
    if request.method == "POST" and _rate_limited(key):
        return render(request, "intake/rate_limited.html", {**context, "nav": ""}, status=429)
    form = _bind(group, kinds, posted(request), public=True)
    if request.method == "POST":
        if _timestamp_expired(form):
            data = request.POST.copy()
            data["started"] = signing.TimestampSigner(salt=STARTED_SALT).sign("enquiry")
            form = _bind(group, kinds, data, public=True)
            form.add_error(
                None,
                "This form was open for a long time, so please check your answers and send it "
                "again.",
            )
            return form_page(request, "intake/enquiry_form.html", form, nav="", **context)
        if _looks_like_a_bot(form):
            _count(key)
            logger.info("Public enquiry to %s dropped as automated.", organisation.slug)
            return redirect("intake:thanks", slug=organisation.slug)
        if form.is_valid() and submit(
            form,
            lambda: _submit(
                form,
                actor=None,
                organisation=organisation,
                source=EnquirySource.PUBLIC,
                submitter_ip=request.META.get("REMOTE_ADDR", ""),
            ),
        ):
            _count(key)
            return redirect("intake:thanks", slug=organisation.slug)
    return form_page(request, "intake/enquiry_form.html", form, nav="", **context)


def _form_label(form_code: str, kinds: tuple[str, ...]) -> str:
    if form_code == "family":
        return "family mediation"
    if form_code == "send":
        return "SEND mediation"
    if len(kinds) == 1:
        return f"{KINDS[kinds[0]].label.lower()} mediation"
    return "mediation"


def public_enquiry_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    """The same thank you for every accepted submission; it names no case and no reference."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(request, "intake/enquiry_thanks.html", {"organisation": organisation})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_enquiry(request: HttpRequest, form_code: str = "") -> HttpResponse:
    """Record an enquiry taken by phone or in person; it opens a case like the public form."""
    user = request.user
    organisation = staff_organisation_for(user)
    if organisation is None or not roles_in(user, organisation.pk) & _OPENERS:
        raise PermissionDenied("Only coordinators, mediators and admins can record enquiries.")
    choices = offer.form_choices(organisation.kinds_offered)
    if not form_code:
        form_code = choices[0].code if choices else "family"
    if form_code not in offer.FORM_CODES:
        raise Http404("No such enquiry form.")
    kinds = offer.kinds_for_form(form_code, organisation.kinds_offered)
    if not kinds:
        return _not_offered_page(request, organisation, form_code, staff=True)
    form = _bind(offer.group_of(form_code), kinds, posted(request))
    created: list[Enquiry] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: created.append(
                _submit(form, actor=user, organisation=organisation, source=EnquirySource.STAFF)
            ),
        )
    ):
        case = created[0].case
        messages.success(request, f"Enquiry recorded and case {case.reference} opened.")
        return redirect("cases:detail", pk=case.pk)
    return form_page(
        request,
        "intake/enquiry_form.html",
        form,
        organisation=organisation,
        staff=True,
        form_code=form_code,
        form_label=_form_label(form_code, kinds),
        choices=choices,
    )


@staff_required
@require_POST
def conflict_decision(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record the decision on a case's conflict check."""
    try:
        case = case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_workspace"
        )
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    enquiry = Enquiry.objects.filter(case=case).first()
    if enquiry is None:
        raise Http404("This case did not start from an enquiry.")
    form = ConflictDecisionForm(request.POST)
    if form.is_valid() and submit(
        form,
        lambda: services.conflict_check_record(
            actor=request.user,
            enquiry=enquiry,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            matches=conflict_summary(user=request.user, case=case, limit=0).total,
        ),
    ):
        messages.success(request, "Conflict check decision recorded.")
        return redirect(section_url(case, "people"))
    return form_page(request, "intake/conflict_decision.html", form, case=case)


@staff_required
@require_POST
def conflict_rerun(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Run the conflict check again, after people were added to the case or changed."""
    try:
        case = case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_workspace"
        )
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    enquiry = Enquiry.objects.filter(case=case).first()
    if enquiry is None:
        raise Http404("This case did not start from an enquiry.")
    try:
        services.conflict_check_run(actor=request.user, enquiry=enquiry)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, "The conflict check ran again.")
    return redirect(section_url(case, "people"))
