"""Pages of the children parts: the children, hearing the child, and each parent's answer.

The staff page lists the children and the offers; each step has its own small form page. The
portal page shows a parent their own answer (the other parent's only once both answered), the
meeting they bring the child to, and the feedback the child approved once shared.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.accounts.models import User
from accord.cases import kinds
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for, is_portal_party
from accord.children import forms, selectors, services
from accord.children.models import ChildOffer
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, raise_http, staff_required, submit


def _case(request: HttpRequest, case_pk: int) -> Case:
    try:
        case = case_get_for(user=request.user, case_id=case_pk, action="view_workspace")
    except NotFoundOrHidden:
        # The child consultant meets the child without being on the case team.
        try:
            case = selectors.consultant_case(user=request.user, case_id=case_pk)
        except NotFoundOrHidden:
            raise Http404("No such case.") from None
    if not kinds.applies(case.kind, "children"):
        raise Http404("The children are part of family cases about children.")
    return case


def _offer(request: HttpRequest, case: Case, offer_pk: int) -> ChildOffer:
    try:
        return selectors.offer_get_for_staff(user=request.user, case=case, offer_id=offer_pk)
    except NotFoundOrHidden:
        raise Http404("No such offer.") from None


@staff_required
@require_GET
def children_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The children of the case, the offers to hear them and the child meetings."""
    from django.utils import timezone

    case = _case(request, case_pk)
    today = timezone.localdate()
    children = selectors.children_for_staff(user=request.user, case=case)
    offers = selectors.offers_for_staff(user=request.user, case=case)
    rows = [{"offer": o, "notes_visible": selectors.notes_visible(request.user, o)} for o in offers]
    return render(
        request,
        "children/children.html",
        {
            "nav": "cases",
            "case": case,
            "children": [
                {
                    "child": c,
                    "age": c.age_on(today),
                    "flag": selectors.should_be_offered(c, today),
                }
                for c in children
            ],
            "rows": rows,
            "can_change": services.can_change(request.user, case),
            "has_enquiry_children": services.enquiry_children_waiting(case),
            "user_pk": request.user.pk,
        },
    )


def _back(case: Case) -> HttpResponse:
    return redirect("children:case", case.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def child_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    form = forms.ChildForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.child_add(actor=request.user, case=case, **form.cleaned_data),
        )
    ):
        messages.success(request, "The child has been recorded.")
        return _back(case)
    return form_page(request, "children/child_form.html", form, case=case)


@staff_required
@require_POST
def children_import(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    try:
        made = services.children_import_from_enquiry(actor=request.user, case=case)
    except DomainError as exc:
        raise_http(exc)
    messages.success(request, f"{len(made)} children recorded from the enquiry.")
    return _back(case)


@staff_required
@require_POST
def offer_make(request: HttpRequest, case_pk: int, child_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    try:
        child = selectors.child_get_for_staff(user=request.user, case=case, child_id=child_pk)
        services.child_offer_make(actor=request.user, child=child)
    except NotFoundOrHidden:
        raise Http404("No such child.") from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(case)
    messages.success(request, "The offer is recorded. Each parent answers it in their portal.")
    return _back(case)


@staff_required
@require_http_methods(["GET", "POST"])
def consultant_assign(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    offer = _offer(request, case, offer_pk)
    consultants = User.objects.filter(
        mediator_profiles__organisation_id=case.organisation_id,
        mediator_profiles__child_consultant__trained=True,
        is_active=True,
    ).order_by("full_name")
    form = forms.ConsultantForm(posted(request), consultants=consultants)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.consultant_assign(
                actor=request.user, offer=offer, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The child consultant has been assigned.")
        return _back(case)
    return form_page(request, "children/consultant.html", form, case=case, offer=offer)


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_book(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    offer = _offer(request, case, offer_pk)
    form = forms.ChildMeetingForm(
        posted(request),
        parents=Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.child_meeting_book(
                actor=request.user, offer=offer, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The child's meeting has been booked.")
        return _back(case)
    return form_page(request, "children/meeting_book.html", form, case=case, offer=offer)


def _recorder_offer(request: HttpRequest, case_pk: int, offer_pk: int) -> tuple[Case, ChildOffer]:
    case = _case(request, case_pk)
    offer = _offer(request, case, offer_pk)
    if not services.may_record(request.user, offer):
        raise Http404("No such meeting.")
    return case, offer


@staff_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case, offer = _recorder_offer(request, case_pk, offer_pk)
    form = forms.ChildMeetingRecordForm(
        posted(request),
        initial={
            "notes": offer.notes,
            "feedback": offer.feedback,
            "child_approved": offer.feedback_approved_at is not None,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.child_meeting_record(
                actor=request.user, offer=offer, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The meeting is recorded. Its notes stay private.")
        return _back(case)
    return form_page(request, "children/meeting_record.html", form, case=case, offer=offer)


@staff_required
@require_POST
def feedback_share(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case, offer = _recorder_offer(request, case_pk, offer_pk)
    try:
        services.feedback_share(actor=request.user, offer=offer)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(case)
    messages.success(request, "The feedback the child approved is now shared with the parents.")
    return _back(case)


@staff_required
@require_http_methods(["GET", "POST"])
def concern_raise(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case, offer = _recorder_offer(request, case_pk, offer_pk)
    form = forms.ConcernForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.child_meeting_concern_raise(
                actor=request.user, offer=offer, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The safeguarding concern is recorded and the lead is told.")
        return redirect(f"/cases/{case.pk}/?section=safeguarding")
    return form_page(request, "children/concern.html", form, case=case, offer=offer)


def _portal_case(request: HttpRequest, case_pk: int) -> Case:
    try:
        case = case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not is_portal_party(request.user, case) or not kinds.applies(case.kind, "child_inclusive"):
        raise Http404("No such case.")
    return case


@login_required
@require_GET
def portal_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A parent's view: their own answers, the outcome once both answered, approved feedback."""
    case = _portal_case(request, case_pk)
    offers = selectors.offers_for_party(user=request.user, case=case)
    return render(
        request,
        "children/portal.html",
        {"nav": "portal", "case": case, "offers": offers},
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_answer(request: HttpRequest, case_pk: int, offer_pk: int) -> HttpResponse:
    case = _portal_case(request, case_pk)
    try:
        offer = selectors.offer_get_for_party(user=request.user, case=case, offer_id=offer_pk)
    except NotFoundOrHidden:
        raise Http404("No such offer.") from None
    form = forms.ConsentForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.consent_answer(actor=request.user, offer=offer, **form.cleaned_data),
        )
    ):
        messages.success(request, "Thank you: your answer is recorded.")
        return redirect("children:portal", case.pk)
    child: Any = offer.child
    return form_page(
        request, "children/portal_answer.html", form, nav="portal", case=case, child=child
    )


def _admin_organisation(request: HttpRequest) -> Any:
    from accord.organisations.selectors import is_service_admin, staff_organisation_for

    organisation = staff_organisation_for(request.user)
    if organisation is None or not is_service_admin(request.user, organisation.pk):
        raise Http404("No such page.")
    return organisation


@staff_required
@require_GET
def consultants_page(request: HttpRequest) -> HttpResponse:
    """The service's mediators and their child-inclusive training (service admins only)."""
    from accord.organisations.models import MediatorProfile

    organisation = _admin_organisation(request)
    profiles = MediatorProfile.objects.filter(organisation=organisation).select_related(
        "user", "child_consultant"
    )
    return render(
        request,
        "children/consultants.html",
        {"nav": "settings", "profiles": profiles},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def consultant_edit(request: HttpRequest, profile_pk: int) -> HttpResponse:
    from accord.organisations.models import MediatorProfile

    organisation = _admin_organisation(request)
    profile = MediatorProfile.objects.filter(organisation=organisation, pk=profile_pk).first()
    if profile is None:
        raise Http404("No such mediator.")
    from accord.children.models import ChildConsultant

    record = ChildConsultant.objects.filter(profile=profile).first()
    form = forms.ConsultantTrainingForm(
        posted(request),
        initial={
            "trained": bool(record and record.trained),
            "dbs_checked_on": record.dbs_checked_on if record else None,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.consultant_set(
                actor=request.user, profile=profile, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The mediator's child-inclusive training is saved.")
        return redirect("children:consultants")
    return form_page(
        request, "children/consultant_edit.html", form, nav="settings", profile=profile
    )


@staff_required
@require_http_methods(["GET", "POST"])
def terms_page(request: HttpRequest) -> HttpResponse:
    """The service's school terms (its administrators): schedules leave school hours out on them."""
    from accord.children import schedules

    organisation = _admin_organisation(request)
    form = forms.SchoolTermForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: schedules.term_add(
                actor=request.user, organisation_id=organisation.pk, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The term has been added.")
        return redirect("children:terms")
    return render(
        request,
        "children/terms.html",
        {
            "nav": "settings",
            "form": form,
            "terms": schedules.terms_for(user=request.user, organisation_id=organisation.pk),
        },
        status=422 if form.errors else 200,
    )


@staff_required
@require_POST
def term_remove(request: HttpRequest, term_pk: int) -> HttpResponse:
    from accord.children import schedules
    from accord.children.models import SchoolTerm

    organisation = _admin_organisation(request)
    term = SchoolTerm.objects.filter(organisation=organisation, pk=term_pk).first()
    if term is None:
        raise Http404("No such term.")
    schedules.term_remove(actor=request.user, term=term)
    messages.success(request, "The term has been removed.")
    return redirect("children:terms")
