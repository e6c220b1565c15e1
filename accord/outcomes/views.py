"""Staff pages for written outcomes: start, edit, preview, approve, issue and share.

Views only parse input, call a selector or a service, and render. A case the user may not open
answers 404; a step their role may not take answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases import selectors as case_selectors
from accord.cases.models import Case
from accord.cases.workspace import section_url
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.outcomes import selectors, services
from accord.outcomes.forms import (
    OutcomeCorrectionForm,
    OutcomeIssueForm,
    OutcomeSectionsForm,
    OutcomeShareForm,
)
from accord.outcomes.models import OutcomeDraft, OutcomeStatus


def _case(request: HttpRequest, case_pk: int) -> Case:
    try:
        return case_selectors.case_get_for(
            user=request.user, case_id=case_pk, action="view_workspace"
        )
    except NotFoundOrHidden:
        raise Http404("No such case.") from None


def _outcome(request: HttpRequest, case_pk: int, pk: int) -> tuple[Case, OutcomeDraft]:
    case = _case(request, case_pk)
    try:
        return case, selectors.outcome_get_for(user=request.user, case=case, outcome_id=pk)
    except NotFoundOrHidden:
        raise Http404("No such outcome.") from None


def _detail(
    request: HttpRequest, case: Case, draft: OutcomeDraft, share_form: OutcomeShareForm | None
) -> HttpResponse:
    user = request.user
    is_mediator = services.is_case_mediator(user, case)
    packet_state = None
    if draft.signing_packet_id:
        from accord.agreements.selectors import packet_status

        packet_state = packet_status(draft.signing_packet)  # type: ignore[arg-type]
    form = share_form or OutcomeShareForm(participants=case.participants.order_by("full_name"))
    status = 422 if share_form is not None and share_form.errors else 200
    draft_status = draft.status
    superseded_by = None
    if draft_status == OutcomeStatus.SUPERSEDED:
        superseded_by = draft.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
    pending_correction = None
    if draft_status == OutcomeStatus.ISSUED:
        pending_correction = draft.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
    context = {
        "nav": "cases",
        "case": case,
        "draft": draft,
        "doc": services.document_context(draft, case),
        "can_edit": is_mediator and draft_status == OutcomeStatus.DRAFT,
        "can_submit": is_mediator and draft_status == OutcomeStatus.DRAFT,
        "can_approve": draft_status == OutcomeStatus.AWAITING_APPROVAL
        and services.may_approve(user, draft, case),
        "can_return": draft_status in (OutcomeStatus.AWAITING_APPROVAL, OutcomeStatus.APPROVED)
        and (is_mediator or services.may_approve(user, draft, case)),
        "can_issue": is_mediator
        and (
            draft_status == OutcomeStatus.APPROVED
            or (
                draft_status == OutcomeStatus.DRAFT
                and not services.needs_approval(draft, user, case)
            )
        ),
        "needs_approval": draft_status == OutcomeStatus.DRAFT
        and services.needs_approval(draft, user, case),
        "can_withdraw": is_mediator
        and draft_status not in (OutcomeStatus.ISSUED, OutcomeStatus.WITHDRAWN),
        "can_share": is_mediator and draft_status == OutcomeStatus.ISSUED,
        "can_correct": is_mediator
        and draft_status == OutcomeStatus.ISSUED
        and pending_correction is None,
        "pending_correction": pending_correction,
        "superseded_by": superseded_by,
        "versions": _versions(draft),
        "share_form": form,
        "packet_state": packet_state,
    }
    return render(request, "outcomes/outcome.html", context, status=status)


def _versions(draft: OutcomeDraft) -> list[OutcomeDraft]:
    """Every version of this outcome, oldest first, withdrawn corrections left out."""
    chain = [draft]
    while chain[0].previous_id is not None:
        chain.insert(0, OutcomeDraft.objects.get(pk=chain[0].previous_id))
    nxt = draft
    while True:
        after = nxt.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
        if after is None:
            break
        chain.append(after)
        nxt = after
    return chain if len(chain) > 1 else []


@staff_required
@require_POST
def outcome_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Start an outcome of the chosen kind, pre-filled from the agreed agenda items."""
    case = _case(request, case_pk)
    try:
        draft = services.outcome_draft_create(
            actor=request.user, case=case, kind=request.POST.get("kind", "")
        )
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(section_url(case, "outcomes"))
    return redirect("outcomes:detail", case.pk, draft.pk)


@staff_required
@require_GET
def outcome_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """The outcome's preview, its status and the steps the user may take."""
    case, draft = _outcome(request, case_pk, pk)
    return _detail(request, case, draft, None)


@staff_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Edit a draft's sections."""
    case, draft = _outcome(request, case_pk, pk)
    form = OutcomeSectionsForm(posted(request), kind=draft.kind, sections=draft.sections)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if submit(
            form,
            lambda: services.outcome_draft_update(actor=request.user, draft=draft, fields=fields),
        ):
            messages.success(request, "The draft has been saved.")
            return redirect("outcomes:detail", case.pk, draft.pk)
    return form_page(request, "outcomes/outcome_edit.html", form, case=case, draft=draft)


_STEPS = {
    "submit": (services.outcome_submit_for_approval, "The outcome has been sent for approval."),
    "approve": (services.outcome_approve, "The outcome has been approved."),
    "return": (services.outcome_return_to_draft, "The outcome is a draft again."),
    "withdraw": (services.outcome_withdraw, "The outcome has been withdrawn."),
}


@staff_required
@require_POST
def outcome_step(request: HttpRequest, case_pk: int, pk: int, step: str) -> HttpResponse:
    """Submit, approve, return, issue or withdraw: one button each on the outcome page."""
    case, draft = _outcome(request, case_pk, pk)
    if step not in _STEPS:
        raise Http404("No such step.")
    service, done = _STEPS[step]
    try:
        service(actor=request.user, draft=draft)
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        for field_messages in exc.field_errors.values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("outcomes:detail", case.pk, draft.pk)


@staff_required
@require_POST
def outcome_share(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Share the issued document with the chosen participants."""
    case, draft = _outcome(request, case_pk, pk)
    form = OutcomeShareForm(request.POST, participants=case.participants.order_by("full_name"))
    if form.is_valid():
        people = list(form.cleaned_data["participants"])
        if submit(
            form,
            lambda: services.outcome_share(actor=request.user, draft=draft, participants=people),
        ):
            messages.success(request, "The document has been shared.")
            return redirect("outcomes:detail", case.pk, draft.pk)
    return _detail(request, case, draft, form)


@staff_required
@require_http_methods(["GET", "POST"])
def outcome_issue(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Confirm, then issue: what will be issued, to whom, and that it cannot be changed."""
    case, draft = _outcome(request, case_pk, pk)
    if not services.is_case_mediator(request.user, case):
        raise PermissionDenied("Only the case's mediators can issue written outcomes.")
    form = OutcomeIssueForm(posted(request))

    def issue() -> None:
        services.outcome_issue(actor=request.user, draft=draft, confirm=True)

    if request.method == "POST" and form.is_valid() and submit(form, issue):
        messages.success(request, f"The {draft.get_kind_display()} has been issued.")
        return redirect("outcomes:detail", case.pk, draft.pk)
    previous = draft.previous
    return form_page(
        request,
        "outcomes/outcome_issue.html",
        form,
        case=case,
        draft=draft,
        previous=previous,
        recipients=services.recipients(previous) if previous else [],
        signers=services.signers(case) if draft.is_signed_kind else [],
        warning=services.ISSUE_WARNING,
        issuable=draft.status == OutcomeStatus.APPROVED
        or (
            draft.status == OutcomeStatus.DRAFT
            and not services.needs_approval(draft, request.user, case)
        ),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def outcome_correct(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Start a correction of an issued outcome: the reason, then a new draft version."""
    case, draft = _outcome(request, case_pk, pk)
    form = OutcomeCorrectionForm(posted(request))
    created: list[OutcomeDraft] = []
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if submit(
            form,
            lambda: created.append(
                services.outcome_correction_start(actor=request.user, draft=draft, reason=reason)
            ),
        ):
            messages.success(
                request,
                f"Version {created[0].version_number} is a draft: edit it, then issue it.",
            )
            return redirect("outcomes:detail", case.pk, created[0].pk)
    return form_page(request, "outcomes/outcome_correct.html", form, case=case, draft=draft)
