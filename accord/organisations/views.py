"""The service admin's settings page: one place that leads to each of the service's settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.core.forms import AccordForm
from accord.core.web import form_page, posted, staff_required, submit
from accord.organisations import services
from accord.organisations.forms import (
    KindsOfferedForm,
    PartyApiTokensForm,
    StaffInviteForm,
    StaffRolesForm,
    StaffSuspendForm,
)
from accord.organisations.models import Accreditation, Organisation, Role
from accord.organisations.selectors import (
    is_service_admin,
    staff_in,
    staff_invitations_pending,
    staff_list_for,
    staff_organisation_for,
)


def _admin_organisation(request: HttpRequest) -> Organisation:
    """The service the user administers; 404 for other staff, so the page is not advertised."""
    organisation = staff_organisation_for(request.user)
    if organisation is None or not is_service_admin(request.user, organisation.pk):
        raise Http404("No such page.")
    return organisation


def _settings_page(
    request: HttpRequest,
    organisation: Organisation,
    form: KindsOfferedForm | None = None,
    tokens_form: PartyApiTokensForm | None = None,
) -> HttpResponse:
    return form_page(
        request,
        "organisations/service_settings.html",
        form or KindsOfferedForm(initial={"kinds_offered": organisation.kinds_offered}),
        nav="service",
        organisation=organisation,
        tokens_form=tokens_form
        or PartyApiTokensForm(initial={"party_api_tokens": organisation.party_api_tokens}),
    )


@staff_required
def service_settings(request: HttpRequest) -> HttpResponse:
    """Links to the service's settings, for its service admins only (404 for other staff)."""
    return _settings_page(request, _admin_organisation(request))


@staff_required
@require_http_methods(["POST"])
def kinds_offered(request: HttpRequest) -> HttpResponse:
    """Save the kinds of mediation the service offers."""
    organisation = _admin_organisation(request)
    form = KindsOfferedForm(posted(request))
    if form.is_valid() and submit(
        form,
        lambda: services.organisation_set_kinds_offered(
            actor=request.user,
            organisation=organisation,
            kinds=form.cleaned_data["kinds_offered"],
        ),
    ):
        messages.success(request, "The kinds of mediation your service offers are saved.")
        return redirect("organisations:settings")
    return _settings_page(request, organisation, form)


@staff_required
@require_http_methods(["POST"])
def party_api_tokens(request: HttpRequest) -> HttpResponse:
    """Save whether the service's parties may make personal API tokens."""
    organisation = _admin_organisation(request)
    form = PartyApiTokensForm(posted(request))
    if form.is_valid() and submit(
        form,
        lambda: services.organisation_set_party_api_tokens(
            actor=request.user,
            organisation=organisation,
            allowed=form.cleaned_data["party_api_tokens"],
        ),
    ):
        allowed = form.cleaned_data["party_api_tokens"]
        messages.success(
            request,
            "Parties can now make personal API tokens."
            if allowed
            else "Parties can no longer make personal API tokens.",
        )
        return redirect("organisations:settings")
    return _settings_page(request, organisation, tokens_form=form)


# --- The Staff page: invite, change roles, suspend, remove ----------------------------------


def _staff_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: StaffInviteForm | None = None,
    action_form: AccordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    supervisors = staff_in(organisation, Role.SUPERVISOR)
    context = {
        "nav": "service",
        "organisation": organisation,
        "rows": staff_list_for(user=request.user, organisation=organisation),
        "pending": staff_invitations_pending(user=request.user, organisation=organisation),
        "invite_form": invite_form or StaffInviteForm(supervisors=supervisors),
        "form": action_form or invite_form,
        "role_choices": Role.choices,
        "me": request.user,
    }
    return render(request, "organisations/staff.html", context, status=status)


@staff_required(cache=False)
def staff_page(request: HttpRequest) -> HttpResponse:
    """The service's staff and waiting invitations, for its service admins (404 for others)."""
    return _staff_page(request, _admin_organisation(request))


@staff_required
@require_http_methods(["POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    """Invite someone to the staff: the email with their link goes through the outbox."""
    organisation = _admin_organisation(request)
    form = StaffInviteForm(posted(request), supervisors=staff_in(organisation, Role.SUPERVISOR))
    if form.is_valid() and submit(
        form,
        lambda: services.staff_invite(
            actor=request.user,
            organisation=organisation,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            roles=form.cleaned_data["roles"],
            fmc_urn=form.cleaned_data["fmc_urn"],
            accreditation=form.cleaned_data["accreditation"] or Accreditation.NOT_ACCREDITED,
            supervisor_id=form.cleaned_data["supervisor"] or None,
        ),
    ):
        messages.success(
            request,
            f"The invitation to {form.cleaned_data['email']} is queued to be emailed. "
            "Their roles apply once they accept it.",
        )
        return redirect("organisations:staff")
    return _staff_page(request, organisation, invite_form=form, status=422)


def _staff_action(request: HttpRequest, form: AccordForm, action: Any, done: str) -> HttpResponse:
    organisation = _admin_organisation(request)
    if form.is_valid() and submit(form, lambda: action(organisation)):
        messages.success(request, done)
        return redirect("organisations:staff")
    return _staff_page(request, organisation, action_form=form, status=422)


@staff_required
@require_http_methods(["POST"])
def staff_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change the roles of one member of staff."""
    form = StaffRolesForm(posted(request))
    return _staff_action(
        request,
        form,
        lambda organisation: services.staff_set_roles(
            actor=request.user,
            organisation=organisation,
            user_id=user_id,
            roles=form.cleaned_data["roles"],
        ),
        "The roles are saved.",
    )


@staff_required
@require_http_methods(["POST"])
def staff_suspend(request: HttpRequest, user_id: int) -> HttpResponse:
    """Suspend one member of staff: signed out everywhere, their API tokens revoked."""
    form = StaffSuspendForm(posted(request))
    return _staff_action(
        request,
        form,
        lambda organisation: services.staff_suspend(
            actor=request.user,
            organisation=organisation,
            user_id=user_id,
            reason=form.cleaned_data["reason"],
        ),
        "They are suspended: signed out, and unable to sign in until you lift it.",
    )


@staff_required
@require_http_methods(["POST"])
def staff_reinstate(request: HttpRequest, user_id: int) -> HttpResponse:
    """Lift a suspension."""
    return _staff_action(
        request,
        AccordForm({}),
        lambda organisation: services.staff_reinstate(
            actor=request.user, organisation=organisation, user_id=user_id
        ),
        "The suspension is lifted: they can sign in again.",
    )


@staff_required
@require_http_methods(["POST"])
def staff_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    """End one person's staff membership (what they did stays in the history)."""
    return _staff_action(
        request,
        AccordForm({}),
        lambda organisation: services.staff_remove(
            actor=request.user, organisation=organisation, user_id=user_id
        ),
        "They are removed from your staff. Their work on cases stays in the history.",
    )


@staff_required
@require_http_methods(["POST"])
def staff_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a waiting invitation again, with a new link."""
    return _staff_action(
        request,
        AccordForm({}),
        lambda organisation: services.staff_invitation_resend(
            actor=request.user, organisation=organisation, staff_invitation_id=pk
        ),
        "The invitation is queued to be emailed again; the earlier link no longer works.",
    )


@staff_required
@require_http_methods(["POST"])
def staff_invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a waiting invitation."""
    return _staff_action(
        request,
        AccordForm({}),
        lambda organisation: services.staff_invitation_withdraw(
            actor=request.user, organisation=organisation, staff_invitation_id=pk
        ),
        "The invitation is withdrawn; its link no longer works.",
    )
