"""SEND pages for the case's staff: the SEND steps page, one form page per step, and the
commissioner report. The family sees their part on the portal case page (templatetags)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases import kinds
from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.forms import AccordForm
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.send import forms as send_forms
from accord.send import reports, selectors, services


def _case(request: HttpRequest, case_pk: int, action: str = "view_workspace") -> Case:
    try:
        case = case_get_for(user=request.user, case_id=case_pk, action="view_workspace")
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not kinds.applies(case.kind, "send"):
        raise Http404("SEND mediation steps are part of SEND cases only.")
    return case


def _participants(case: Case) -> Any:
    return Participant.objects.filter(case=case).order_by("id")


@staff_required
@require_GET
def case_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The SEND steps of a case, in the order of the process."""
    case = _case(request, case_pk)
    view = selectors.staff_view(user=request.user, case=case)
    return render(
        request,
        "send/case.html",
        {
            "nav": "cases",
            "case": case,
            "view": view,
            "record": view.record,
            "is_mediator": services.is_case_mediator(request.user, case),
            "permission_needed": bool(view.record and services.permission_needed(view.record)),
            "permission_signed": bool(view.record and services.permission_signed_online(case)),
        },
    )


def _form_step(
    request: HttpRequest,
    case: Case,
    form: AccordForm,
    action: Callable[[dict[str, Any]], Any],
    *,
    heading: str,
    intro: str,
    submit_label: str,
    success: str,
) -> HttpResponse:
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(form, lambda: action(form.cleaned_data))
    ):
        messages.success(request, success)
        return redirect("send:case", case.pk)
    return form_page(
        request,
        "send/form.html",
        form,
        case=case,
        heading=heading,
        intro=intro,
        submit_label=submit_label,
    )


def _from_enquiry(case: Case) -> dict[str, Any]:
    """What the SEND enquiry already told us, to start the form with."""
    from accord.intake.models import Enquiry
    from accord.send.models import SendDecision

    initial: dict[str, Any] = {}
    enquiry = Enquiry.objects.filter(case=case).prefetch_related("children").first()
    if enquiry is not None:
        if enquiry.la_decision in SendDecision.values:
            initial["la_decision"] = enquiry.la_decision
        if enquiry.la_decision_date:
            initial["decision_notice_date"] = enquiry.la_decision_date
        child = enquiry.children.first()
        if child is not None:
            initial["child_name"] = child.full_name
            initial["child_date_of_birth"] = child.date_of_birth
    officer = Participant.objects.filter(case=case, role="la_officer").order_by("id").first()
    if officer is not None and officer.organisation_name:
        initial["commissioning_la"] = officer.organisation_name
    return initial


@staff_required
@require_http_methods(["GET", "POST"])
def preliminary(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record the LA decision, the child or young person, capacity and the issues."""
    case = _case(request, case_pk)
    record = selectors.staff_view(user=request.user, case=case).record
    initial: dict[str, Any] = {}
    if record is not None:
        initial = {
            "la_decision": record.la_decision,
            "decision_notice_date": record.decision_notice_date,
            "commissioning_la": record.commissioning_la,
            "child_name": record.child_name,
            "child_date_of_birth": record.child_date_of_birth,
            "issues": record.issues,
            "lacks_capacity": record.lacks_capacity,
            "capacity_note": record.capacity_note,
        }
    else:
        initial = _from_enquiry(case)
    form = send_forms.PreliminaryForm(posted(request), initial=initial)
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_record_preliminary(actor=request.user, case=case, **data),
        heading="The local authority decision",
        intro="Recording the decision starts the 2-month clock to contact the mediation adviser "
        "(reg 33), shared with the family.",
        submit_label="Save the SEND details",
        success="The SEND details have been saved.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def choice(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record the family's choice after mediation advice."""
    case = _case(request, case_pk)
    form = send_forms.ChoiceForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_choice_record(actor=request.user, case=case, **data),
        heading="The family's choice after mediation advice",
        intro="Yes starts the 30-day arranging clock; no starts the 3-working-day clock for the "
        "adviser's certificate.",
        submit_label="Record the choice",
        success="The family's choice has been recorded.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record the family's consent to less than 5 working days' notice."""
    case = _case(request, case_pk)
    form = send_forms.ConsentForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_short_notice_consent_record(
            actor=request.user, case=case, **data
        ),
        heading="Consent to less notice",
        intro="The meeting's date and place must be notified at least 5 working days ahead "
        "unless the family agrees to less.",
        submit_label="Record the consent",
        success="The family's consent to less notice has been recorded.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def attendee(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Add someone to the meeting."""
    case = _case(request, case_pk)
    form = send_forms.AttendeeForm(posted(request), participants=_participants(case))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_attendee_add(actor=request.user, case=case, **data),
        heading="Add someone to the meeting",
        intro="An advocate or supporter chosen by the family is always allowed. The local "
        "authority and health bodies must send someone with authority to resolve the issues.",
        submit_label="Add to the meeting",
        success="They have been added to the meeting.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def call(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Log a preparation call (case mediators only)."""
    case = _case(request, case_pk)
    if not services.is_case_mediator(request.user, case):
        raise Http404("No such page.")
    form = send_forms.CallForm(posted(request), participants=_participants(case))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_call_log(actor=request.user, case=case, **data),
        heading="Log a preparation call",
        intro="The call log is private to the case's mediators and supervisor.",
        submit_label="Log the call",
        success="The call has been logged.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def preparation(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record how the child's views are represented and who speaks for a young person."""
    case = _case(request, case_pk)
    record = selectors.staff_view(user=request.user, case=case).record
    initial = (
        {
            "views_representation": record.views_representation,
            "child_joins_part": record.child_joins_part,
            "parent_speaks_for_young_person": record.parent_speaks_for_young_person,
        }
        if record
        else {}
    )
    form = send_forms.PreparationForm(posted(request), initial=initial)
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_preparation_record(actor=request.user, case=case, **data),
        heading="The child's or young person's views",
        intro="The mediator must take reasonable steps to learn the child's views.",
        submit_label="Save",
        success="The preparation has been saved.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def permission(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Upload the young person's signed written permission."""
    case = _case(request, case_pk)
    form = send_forms.PermissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )

    def upload(data: dict[str, Any]) -> Any:
        file = data["file"]
        return services.send_permission_upload(
            actor=request.user,
            case=case,
            content=file.read(),
            file_name=file.name,
            content_type=file.content_type or "",
        )

    return _form_step(
        request,
        case,
        form,
        upload,
        heading="The young person's written permission",
        intro="A parent may speak for a young person aged 16 or over only with the young "
        "person's written permission, kept before the meeting.",
        submit_label="Upload the permission",
        success="The young person's permission has been kept.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def permission_request(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Ask the young person to sign their written permission online."""
    case = _case(request, case_pk)
    form = send_forms.PermissionRequestForm(
        posted(request),
        participants=_participants(case).filter(role="young_person"),
    )
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_permission_request(actor=request.user, case=case, **data),
        heading="Ask the young person to sign their permission online",
        intro="They sign in their portal; a signed copy is kept with the case's documents.",
        submit_label="Send for signature",
        success="The young person has been asked to sign their permission.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def stop(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record stopping the meeting because a term was broken (case mediators only)."""
    case = _case(request, case_pk)
    form = send_forms.StopForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_meeting_stop(actor=request.user, case=case, **data),
        heading="Stop the meeting",
        intro="Record which Term of Engagement was broken.",
        submit_label="Record the stop",
        success="The meeting has been recorded as stopped.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record an agreed action."""
    case = _case(request, case_pk)
    form = send_forms.ActionForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_action_add(actor=request.user, case=case, **data),
        heading="Record an agreed action",
        intro="Every action needs an owner. Local authority actions are due by the reg 44 time "
        "limits, counted from the meeting, unless another date was agreed in writing.",
        submit_label="Record the action",
        success="The action has been recorded.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, case_pk: int, action_pk: int) -> HttpResponse:
    """Record an agreed action as done."""
    case = _case(request, case_pk)
    try:
        action = selectors.action_get_for_staff(user=request.user, case=case, action_id=action_pk)
    except NotFoundOrHidden:
        raise Http404("No such action.") from None
    form = send_forms.DoneForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_action_done(actor=request.user, action=action, **data),
        heading="Record the action as done",
        intro=action.description,
        submit_label="Record as done",
        success="The action has been recorded as done.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Issue the Mediation Outcome to every participant."""
    case = _case(request, case_pk)
    form = send_forms.OutcomeForm(posted(request))
    return _form_step(
        request,
        case,
        form,
        lambda data: services.send_outcome_issue(actor=request.user, case=case, **data),
        heading="Issue the Mediation Outcome",
        intro="The agreed actions are written up and shared with everyone, within 24 hours of "
        "the meeting.",
        submit_label="Issue and share",
        success="The Mediation Outcome has been issued and shared.",
    )


def _post_action(
    request: HttpRequest, case_pk: int, action: Callable[[Case], Any], done: str
) -> HttpResponse:
    case = _case(request, case_pk)
    try:
        action(case)
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("send:case", case.pk)
    messages.success(request, done)
    return redirect("send:case", case.pk)


@staff_required
@require_POST
def not_arranged(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record that mediation could not be arranged within 30 days."""
    return _post_action(
        request,
        case_pk,
        lambda case: services.send_not_arranged_record(actor=request.user, case=case),
        "Recorded: the certificate is due within 3 working days.",
    )


@staff_required
@require_POST
def health_notified(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Record that the health commissioning body was told."""
    return _post_action(
        request,
        case_pk,
        lambda case: services.send_health_notified(actor=request.user, case=case),
        "Recorded: the health commissioning body was told.",
    )


@staff_required
@require_POST
def certificate(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Issue the mediation certificate with the appeal deadline."""
    return _post_action(
        request,
        case_pk,
        lambda case: services.send_certificate_issue(actor=request.user, case=case),
        "The mediation certificate has been issued and shared with the family.",
    )


@staff_required
@require_POST
def terms(request: HttpRequest, case_pk: int, attendee_pk: int) -> HttpResponse:
    """Record that an attendee accepts the Terms of Engagement."""

    def confirm(case: Case) -> Any:
        found = selectors.attendee_get_for_staff(
            user=request.user, case=case, attendee_id=attendee_pk
        )
        return services.send_terms_confirm(actor=request.user, case=case, attendee=found)

    return _post_action(request, case_pk, confirm, "The Terms of Engagement were accepted.")


@staff_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The commissioner report: per commissioning LA and period, with a chart and a table."""
    form = send_forms.ReportForm(request.GET or None)
    params = reports.params_from(form)
    try:
        rows = reports.commissioner_report(user=request.user, **params)
    except NotFoundOrHidden:
        raise Http404("No such report.") from None
    return render(
        request,
        "send/report.html",
        {
            "nav": "reports",
            "form": form,
            "rows": rows,
            "params": params,
            "query": request.GET.urlencode(),
            "authorities": reports.authorities(user=request.user),
        },
    )


@staff_required
@require_GET
def report_chart(request: HttpRequest) -> HttpResponse:
    """The report's chart as SVG (the same figures as the table)."""
    form = send_forms.ReportForm(request.GET or None)
    rows = reports.commissioner_report(user=request.user, **reports.params_from(form))
    return reports.chart_response(rows)


@staff_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    """The report as CSV."""
    form = send_forms.ReportForm(request.GET or None)
    rows = reports.commissioner_report(user=request.user, **reports.params_from(form))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="send-commissioner-report.csv"'
    writer = csv.writer(response)
    writer.writerow(reports.CSV_HEADER)
    for row in rows:
        writer.writerow(row.as_csv())
    return response
