"""Staff pages for safeguarding: raise a concern, and the restricted record and its forms.

Views only parse input, call a selector or a service, and render. The record pages answer 404 to
anyone outside the restricted audience (`policy.can_read_records`); the "raise a concern" form is
open to any member of staff on the case, and someone outside the audience who raises a concern is
shown a confirmation page that names nothing they wrote, never the record itself. Every page
here is sent with `staff_required(cache=False)`, so no browser or proxy keeps a copy of a record.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.accounts.models import User
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.safeguarding import policy, selectors, services
from accord.safeguarding.forms import (
    ConcernCloseForm,
    ConcernRaiseForm,
    DisclosureForm,
    HoldDecisionForm,
    InvestigationForm,
    ReferralForm,
    SelfReferralConfirmForm,
    SelfReferralOfferForm,
    ThresholdDecisionForm,
    now_for_input,
)
from accord.safeguarding.models import HoldDecision, ReferralStatus, SafeguardingConcern


def _records_case(request: HttpRequest, case_pk: int) -> Case:
    """The case if the user may read its safeguarding records, else 404."""
    try:
        return selectors.records_case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None


def _decider_case(request: HttpRequest, case_pk: int) -> Case:
    """The case if the user is one of its mediators (403 for the rest of the audience)."""
    case = _records_case(request, case_pk)
    if not policy.can_decide(request.user, case):
        raise PermissionDenied("Only the case's mediator can do this.")
    return case


def _concern(request: HttpRequest, case: Case, concern_pk: int) -> SafeguardingConcern:
    try:
        return selectors.concern_get_for(user=request.user, case=case, concern_id=concern_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None


def _yes(value: str) -> bool:
    return value == "yes"


# The restricted record


@staff_required(cache=False)
def concern_index(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's safeguarding record: concerns, any pause, and the disclosure log."""
    case = _records_case(request, case_pk)
    user = request.user
    return render(
        request,
        "safeguarding/index.html",
        {
            "nav": "cases",
            "case": case,
            "concerns": selectors.concern_list(user=user, case=case),
            "hold": selectors.open_hold(user=user, case=case),
            "holds": selectors.hold_list(user=user, case=case),
            "disclosures": selectors.disclosure_list(user=user, case=case),
            "can_decide": policy.can_decide(user, case),
        },
    )


@staff_required(cache=False)
def concern_detail(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """One concern: the allegation, the threshold decisions, referrals, disclosures and pauses."""
    case = _records_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    referrals = list(concern.referrals.all())
    decisions = list(concern.threshold_decisions.all())
    latest = decisions[0] if decisions else None
    active = [
        r
        for r in referrals
        if r.status in (ReferralStatus.OFFERED, ReferralStatus.CONFIRMED, ReferralStatus.MADE)
    ]
    return render(
        request,
        "safeguarding/concern_detail.html",
        {
            "nav": "cases",
            "case": case,
            "concern": concern,
            "decisions": decisions,
            "latest_decision": latest,
            "referrals": referrals,
            "offered": next((r for r in referrals if r.status == ReferralStatus.OFFERED), None),
            "lapsed": next(
                (r for r in referrals if r.status == ReferralStatus.NOT_CONFIRMED), None
            ),
            "service_referral_made": any(r.status == ReferralStatus.MADE for r in referrals),
            "can_offer": bool(latest and latest.referral_needed and not active),
            "disclosures": list(concern.disclosures.all()),
            "holds": list(concern.holds.all()),
            "can_decide": policy.can_decide(request.user, case),
        },
    )


# Raising a concern: any staff on the case


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def concern_raise(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Raise a safeguarding concern; any member of staff who can open the case may."""
    try:
        case = selectors.raising_case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    form = ConcernRaiseForm(posted(request))
    created: list[SafeguardingConcern] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: created.append(
                services.concern_raise(
                    actor=request.user,
                    case=case,
                    source=data["source"],
                    allegation=data["allegation"],
                    subject_kind=data["subject_kind"],
                    subject_name=data["subject_name"],
                    alleged_by=data["alleged_by"],
                    alleged_against=data["alleged_against"],
                    immediate_danger=bool(data["immediate_danger"]),
                    action_taken=data["action_taken"],
                )
            ),
        ):
            if policy.can_read_records(request.user, case):
                messages.success(request, "The safeguarding concern has been recorded.")
                return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=created[0].pk)
            return redirect("safeguarding:raised", case_pk=case.pk)
    # Ticked but the action is missing: show the 999 panel open even without CSS support.
    danger_ticked = request.method == "POST" and request.POST.get("immediate_danger") in (
        "on",
        "true",
        "1",
    )
    return form_page(
        request, "safeguarding/raise.html", form, case=case, danger_ticked=danger_ticked
    )


@staff_required(cache=False)
def concern_raised(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Confirmation for someone outside the restricted audience: says who has been told."""
    try:
        case = selectors.raising_case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    return render(request, "safeguarding/raised.html", {"nav": "cases", "case": case})


# The mediator's decisions


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def threshold_decide(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """Record the threshold decision made with the supervisor or safeguarding lead."""
    case = _decider_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    consultees = selectors.consultees_for(case=case, exclude=request.user)
    form = ThresholdDecisionForm(
        posted(request), consultees=consultees, initial={"decided_at": now_for_input()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consulted = User.objects.filter(pk=data["consulted"]).first()
        if submit(
            form,
            lambda: services.threshold_decide(
                actor=request.user,
                concern=concern,
                consulted=consulted,
                threshold_met=_yes(data["threshold_met"]),
                referral_needed=_yes(data["referral_needed"]),
                reasons=data["reasons"],
                decided_at=data["decided_at"],
            ),
        ):
            messages.success(request, "The threshold decision has been recorded.")
            return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)
    return form_page(request, "safeguarding/decide.html", form, case=case, concern=concern)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def self_referral_offer(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """Offer the parent who raised the concern the chance to refer themselves."""
    case = _decider_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    form = SelfReferralOfferForm(posted(request), parents=selectors.parents_on_case(case=case))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.self_referral_offer(
                actor=request.user, concern=concern, parent=form.cleaned_data["parent"]
            ),
        )
    ):
        messages.success(request, "The self-referral has been offered.")
        return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)
    return form_page(request, "safeguarding/offer.html", form, case=case, concern=concern)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def self_referral_confirm(request: HttpRequest, case_pk: int, referral_pk: int) -> HttpResponse:
    """Record the parent's own referral, as they reported it."""
    case = _records_case(request, case_pk)
    try:
        referral = selectors.referral_get_for(user=request.user, case=case, referral_id=referral_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    form = SelfReferralConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.self_referral_confirm(
                actor=request.user,
                referral=referral,
                agency=data["agency"],
                area=data["area"],
                referred_on=data["referred_on"],
                reference=data["reference"],
                referred_by_name=data["referred_by_name"],
                information_shared=data["information_shared"],
            ),
        ):
            messages.success(request, "The parent's referral has been recorded.")
            return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=referral.concern_id)
    return form_page(
        request,
        "safeguarding/confirm.html",
        form,
        case=case,
        referral=referral,
        concern=referral.concern,
    )


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def referral_record(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """Record the service's own referral to children's services (logged as a disclosure)."""
    case = _records_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    user = request.user
    assert isinstance(user, User)
    form = ReferralForm(
        posted(request),
        initial={"referred_at": now_for_input(), "referred_by_name": user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.referral_record(
                actor=user,
                concern=concern,
                agency=data["agency"],
                area=data["area"],
                referred_at=data["referred_at"],
                reference=data["reference"],
                referred_by_name=data["referred_by_name"],
                contact_name=data["contact_name"],
                information_shared=data["information_shared"],
            ),
        ):
            messages.success(request, "The referral has been recorded and logged as a disclosure.")
            return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)
    return form_page(request, "safeguarding/referral.html", form, case=case, concern=concern)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def disclosure_record(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Log a disclosure of information outside the mediation, with its legal basis."""
    case = _records_case(request, case_pk)
    concerns = list(selectors.concern_list(user=request.user, case=case))
    initial = {"disclosed_at": now_for_input(), "concern": request.GET.get("concern", "")}
    form = DisclosureForm(posted(request), concerns=concerns, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern = next((c for c in concerns if str(c.pk) == data["concern"]), None)
        if submit(
            form,
            lambda: services.disclosure_record(
                actor=request.user,
                case=case,
                concern=concern,
                legal_basis=data["legal_basis"],
                information_shared=data["information_shared"],
                recipient_name=data["recipient_name"],
                recipient_organisation=data["recipient_organisation"],
                disclosed_at=data["disclosed_at"],
            ),
        ):
            messages.success(request, "The disclosure has been logged.")
            return redirect("safeguarding:index", case_pk=case.pk)
    return form_page(request, "safeguarding/disclosure.html", form, case=case)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def investigation_open(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """Record that an investigation is open, pausing the mediation."""
    case = _records_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    form = InvestigationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.investigation_open(
                actor=request.user,
                concern=concern,
                investigating_agency=data["investigating_agency"],
                investigation_reference=data["investigation_reference"],
                reasons=data["reasons"],
            ),
        ):
            messages.success(request, "The mediation is paused while the investigation is open.")
            return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)
    return form_page(request, "safeguarding/investigation.html", form, case=case, concern=concern)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def hold_decide(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Lift the pause with a recorded decision: resume the mediation, or end it."""
    case = _decider_case(request, case_pk)
    hold = selectors.open_hold(user=request.user, case=case)
    if hold is None:
        messages.info(request, "The case is not paused.")
        return redirect("safeguarding:index", case_pk=case.pk)
    form = HoldDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.mediation_resume_or_end(
                actor=request.user, case=case, decision=data["decision"], reasons=data["reasons"]
            ),
        ):
            if data["decision"] == HoldDecision.RESUME:
                messages.success(request, "The mediation has resumed.")
            else:
                messages.success(request, "The mediation has ended and the case is closed.")
            return redirect("safeguarding:index", case_pk=case.pk)
    return form_page(request, "safeguarding/hold_decide.html", form, case=case, hold=hold)


@staff_required(cache=False)
@require_http_methods(["GET", "POST"])
def concern_close(request: HttpRequest, case_pk: int, concern_pk: int) -> HttpResponse:
    """Close a concern when the service has nothing further to do about it."""
    case = _records_case(request, case_pk)
    concern = _concern(request, case, concern_pk)
    form = ConcernCloseForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.concern_close(
                actor=request.user, concern=concern, reason=form.cleaned_data["reason"]
            ),
        )
    ):
        messages.success(request, "The concern is closed.")
        return redirect("safeguarding:concern", case_pk=case.pk, concern_pk=concern.pk)
    return form_page(request, "safeguarding/close.html", form, case=case, concern=concern)
