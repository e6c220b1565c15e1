"""Staff pages for MIAMs, under a case: book one and record that it was held.

Views only parse input, call a selector or a service, and render. A case the user may not open
answers 404; one they may open but not change answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import PARTY_ROLES, Case
from accord.core.errors import NotFoundOrHidden
from accord.core.web import form_page, posted, staff_required, submit
from accord.meetings import selectors, services
from accord.meetings.forms import MiamBookForm, MiamHeldForm
from accord.organisations.models import Role
from accord.organisations.selectors import staff_in


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
            ),
        ):
            messages.success(request, "The MIAM has been booked.")
            return redirect("cases:detail", case.pk)
    return form_page(request, "meetings/miam_book.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def miam_record_held(request: HttpRequest, case_pk: int, miam_pk: int) -> HttpResponse:
    """Record that a MIAM was held, with the checklist of what was covered."""
    case = _case(request, case_pk, "change")
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
        return redirect("cases:detail", case.pk)
    return form_page(request, "meetings/miam_held.html", form, case=case, miam=miam)
