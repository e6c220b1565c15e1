"""Pages for Agreements to Mediate: the service's wording, the case team's tools, and signing.

Views only parse input, call a selector or a service, and render. Staff pages answer 404 to
anyone who may not open the case (or, for wording, who is not the service's admin) and 403 to
staff who may only look. The portal signing page answers 404 to anyone not asked to sign.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from accord.agreements import markup, selectors, services
from accord.agreements.forms import PrepareForm, SignForm, TemplateForm, WetInkForm
from accord.agreements.gate import current_agreement_packet
from accord.agreements.models import KindGroup, SigningPacket
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import PARTY_ROLES, Case
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin, is_staff_member, staff_organisation_for


def _html(text: str) -> Any:
    """Agreement text as HTML: `markup.to_html` escapes every character of the text itself."""
    return mark_safe(markup.to_html(text))  # noqa: S308


def _preview(body: str, organisation: Organisation) -> str:
    """Sample wording with placeholders filled by example values, for the admin's preview."""
    return selectors.template_preview(body, organisation.name)


# Service admins: the wording per kind of mediation -------------------------------------------


def _admin_organisation(request: HttpRequest) -> Organisation:
    organisation = staff_organisation_for(request.user)
    if organisation is None or not is_service_admin(request.user, organisation.pk):
        raise Http404("No such page.")
    return organisation


def _group(kind_group: str) -> str:
    if kind_group not in KindGroup.values:
        raise Http404("No such page.")
    return kind_group


@staff_required
@require_http_methods(["GET"])
def template_list(request: HttpRequest) -> HttpResponse:
    """Each kind of mediation with the version of its wording in use."""
    organisation = _admin_organisation(request)
    wordings = selectors.templates_for_admin(user=request.user, organisation_id=organisation.pk)
    return render(
        request,
        "agreements/template_list.html",
        {"wordings": wordings, "organisation": organisation, "nav": "settings"},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind_group: str) -> HttpResponse:
    """Edit the wording of one kind group: preview it, or save it as the next version."""
    organisation = _admin_organisation(request)
    group = _group(kind_group)
    current = selectors.template_current(organisation_id=organisation.pk, kind_group=group)
    form = TemplateForm(posted(request), initial={"title": current.title, "body": current.body})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            unknown = markup.unknown_placeholders(data["body"])
            if unknown:
                form.add_error(
                    "body",
                    "Unknown placeholder "
                    + ", ".join("{{" + name + "}}" for name in unknown)
                    + ". Use only "
                    + ", ".join("{{" + name + "}}" for name in markup.PLACEHOLDERS)
                    + ".",
                )
            else:
                preview = _html(_preview(data["body"], organisation))
        elif submit(
            form,
            lambda: services.agreement_template_save(
                actor=request.user,
                organisation=organisation,
                kind_group=group,
                title=data["title"],
                body=data["body"],
            ),
        ):
            messages.success(request, f"The {KindGroup(group).label} wording has been saved.")
            return redirect("agreements:template_history", kind_group=group)
    return form_page(
        request,
        "agreements/template_edit.html",
        form,
        nav="settings",
        current=current,
        preview=preview,
        placeholders=markup.PLACEHOLDERS,
    )


@staff_required
@require_http_methods(["GET"])
def template_history(request: HttpRequest, kind_group: str) -> HttpResponse:
    """Every saved version of one kind group's wording, newest first."""
    organisation = _admin_organisation(request)
    group = _group(kind_group)
    versions = selectors.template_history(
        user=request.user, organisation_id=organisation.pk, kind_group=group
    )
    return render(
        request,
        "agreements/template_history.html",
        {"versions": versions, "group": KindGroup(group), "nav": "settings"},
    )


@staff_required
@require_http_methods(["GET"])
def template_version(request: HttpRequest, kind_group: str, version: int) -> HttpResponse:
    """One version of the wording (0 is the built-in one), shown as it would read."""
    organisation = _admin_organisation(request)
    group = _group(kind_group)
    try:
        wording = selectors.template_version_get(
            user=request.user, organisation_id=organisation.pk, kind_group=group, version=version
        )
    except NotFoundOrHidden:
        raise Http404("No such version.") from None
    return render(
        request,
        "agreements/template_version.html",
        {
            "wording": wording,
            "group": KindGroup(group),
            "body_html": _html(_preview(wording.body, organisation)),
            "nav": "settings",
        },
    )


# The case team ---------------------------------------------------------------------------


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


def _current(case: Case) -> SigningPacket:
    packet = current_agreement_packet(case)
    if packet is None:
        raise Http404("There is no Agreement to Mediate on this case yet.")
    return packet


@staff_required
@require_http_methods(["GET"])
def agreement_detail(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's agreement as prepared, with every signature's record, for the case's staff."""
    case = _case(request, case_pk, "view_workspace")
    view = selectors.agreement_for(user=request.user, case=case)
    packet = view.state.packet if view.state else None
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "case": case,
            "view": view,
            "body_html": _html(packet.text) if packet else "",
            "verification": selectors.packet_verify(packet) if packet else None,
            "history": selectors.agreement_packets(case),
            "can_change": case_policy.can(request.user, "change", case),
            "nav": "cases",
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_prepare(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Prepare the Agreement to Mediate from the current wording (replacing any earlier one)."""
    case = _case(request, case_pk, "change")
    others = case.participants.exclude(role__in=PARTY_ROLES).order_by("full_name")
    form = PrepareForm(posted(request), others=others)
    if request.method == "POST" and form.is_valid():
        extra = list(form.cleaned_data["extra_signers"])
        if submit(
            form,
            lambda: services.agreement_create(actor=request.user, case=case, extra_signers=extra),
        ):
            messages.success(request, "The Agreement to Mediate is ready to sign.")
            return redirect("agreements:detail", case_pk=case.pk)
    wording = selectors.template_current(
        organisation_id=case.organisation_id, kind_group=services.kind_group_for(case.kind)
    )
    return form_page(
        request,
        "agreements/agreement_prepare.html",
        form,
        case=case,
        wording=wording,
        replacing=current_agreement_packet(case) is not None,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_wet_ink(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record a signature from an uploaded wet-ink signed copy."""
    case = _case(request, case_pk, "change")
    packet = _current(case)
    unsigned = packet.required.exclude(pk__in=packet.signatures.values("participant_id")).order_by(
        "full_name"
    )
    form = WetInkForm(posted(request), request.FILES or None, signers=unsigned)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.signature_record_wet_ink(
                actor=request.user,
                packet=packet,
                participant=data["participant"],
                upload=data["upload"],
                produce_pdf=True,
            ),
        ):
            messages.success(request, "The signed copy has been recorded.")
            return redirect("agreements:detail", case_pk=case.pk)
    return form_page(request, "agreements/agreement_wet_ink.html", form, case=case)


@staff_required
@require_POST
def agreement_pdf(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Produce the agreement's PDFs with the signing certificate so far, and share them."""
    case = _case(request, case_pk, "change")
    packet = _current(case)
    try:
        version = services.packet_render_pdf(actor=request.user, packet=packet)
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("agreements:detail", case_pk=case.pk)
    messages.success(
        request, f"Version {version.number} of the PDF has been produced and shared with signers."
    )
    return redirect("agreements:detail", case_pk=case.pk)


# Participants: signing in the portal -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def portal_sign(request: HttpRequest, case_pk: int, packet_pk: int) -> HttpResponse:
    """A participant reads a document, confirms and types their name to sign it."""
    if is_staff_member(request.user) and not case_selectors.is_portal_party(request.user, case_pk):
        raise Http404("No such page.")
    try:
        case = case_selectors.case_get_for(user=request.user, case_id=case_pk)
        packet = selectors.packet_get_for_signer(user=request.user, case=case, packet_id=packet_pk)
    except NotFoundOrHidden:
        raise Http404("No such page.") from None
    me = selectors.own_participant(request.user, packet)
    mine = packet.signatures.filter(participant=me).first() if me else None
    form = SignForm(posted(request) if mine is None else None)
    if request.method == "POST" and mine is None and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.signature_sign_online(
                user=request.user,
                packet=packet,
                typed_name=data["typed_name"],
                confirm=bool(data["confirm"]),
                ip=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ),
        ):
            messages.success(request, "Thank you: you have signed.")
            return redirect("agreements:portal_sign", case_pk=case.pk, packet_pk=packet.pk)
    state = selectors.packet_status(packet)
    return form_page(
        request,
        "agreements/portal_sign.html",
        form,
        nav="portal",
        case=case,
        packet=packet,
        body_html=_html(packet.text),
        mine=mine,
        everyone_signed=state.everyone_signed,
    )
