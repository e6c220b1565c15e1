"""The service admin's settings page: one place that leads to each of the service's settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accord.core.web import form_page, posted, staff_required, submit
from accord.organisations import services
from accord.organisations.forms import KindsOfferedForm, PartyApiTokensForm
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin, staff_organisation_for


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
