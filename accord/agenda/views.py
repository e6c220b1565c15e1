"""Agenda pages: the staff agenda of a case, and the same agenda in the parties' portal.

Views only parse input, call a selector or a service, and render. Anyone who may not see the
case gets 404; staff who may see it but are not its mediators get 403 on changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.agenda import proposals, selectors, services, transitions
from accord.agenda.forms import (
    PRIORITY_CHOICES,
    AgendaItemForm,
    AgendaOptionForm,
    AgendaPriorityForm,
    AgendaStatusForm,
    MediatorOptionForm,
    MediatorProposalForm,
    ProposalAnswerForm,
    ProposalForm,
    ProposalRelayForm,
)
from accord.agenda.models import AgendaItem
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.cases.selectors import is_portal_party
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.htmx import vary_on_htmx, wants_fragment
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.organisations.selectors import is_staff_member


def _staff_case(request: HttpRequest, case_pk: int) -> Case:
    try:
        case = selectors.agenda_case_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not case_policy.can(request.user, "view_workspace", case):
        raise Http404("No such case.")
    return case


def _item(request: HttpRequest, case: Case, item_pk: int) -> AgendaItem:
    try:
        return selectors.agenda_item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        raise Http404("No such agenda item.") from None


def _agenda_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    agenda = selectors.agenda_for(user=request.user, case=case)
    offers = selectors.proposals_for(user=request.user, case=case)
    rows = [
        (item, transitions.allowed_moves(item.status), offers.get(item.pk, []))
        for item in agenda.items
    ]
    return {"nav": "cases", "case": case, "agenda": agenda, "rows": rows}


@staff_required
@require_GET
def agenda_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's agenda in order, with options, priorities, history and the mediator's controls."""
    case = _staff_case(request, case_pk)
    return render(request, "agenda/agenda.html", _agenda_context(request, case))


@staff_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A case mediator adds a topic to the agenda."""
    case = _staff_case(request, case_pk)
    form = AgendaItemForm(posted(request), case=case)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.agenda_item_propose(
                actor=request.user, case=case, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The topic has been added to the agenda.")
        return redirect("agenda:case", case.pk)
    return form_page(request, "agenda/item_new.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def item_status(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A case mediator moves an item to another status."""
    case = _staff_case(request, case_pk)
    item = _item(request, case, item_pk)
    form = AgendaStatusForm(
        posted(request),
        moves=transitions.allowed_moves(item.status),
        initial={"agreed_wording": item.agreed_wording},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form, lambda: services.agenda_item_change_status(actor=request.user, item=item, **data)
        ):
            messages.success(request, "The item's status has been changed.")
            return redirect("agenda:case", case.pk)
    return form_page(request, "agenda/item_status.html", form, case=case, item=item)


@staff_required
@require_http_methods(["GET", "POST"])
def option_new(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A case mediator records an idea offered with the parties' permission."""
    case = _staff_case(request, case_pk)
    item = _item(request, case, item_pk)
    form = MediatorOptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.agenda_option_add(actor=request.user, item=item, **data)):
            messages.success(request, "The option has been added.")
            return redirect("agenda:case", case.pk)
    return form_page(request, "agenda/option_new.html", form, case=case, item=item)


@staff_required
@require_POST
def item_reorder(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """Move an item one place up or down (the up and down buttons)."""
    case = _staff_case(request, case_pk)
    item = _item(request, case, item_pk)
    try:
        services.agenda_item_reorder(
            actor=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except DomainError as exc:
        raise_http(exc)
    if wants_fragment(request, "agenda-items"):
        fragment = render(request, "agenda/_agenda_items.html", _agenda_context(request, case))
        return vary_on_htmx(fragment)
    return redirect(f"{reverse('agenda:case', args=[case.pk])}#item-{item.pk}")


@staff_required
@require_POST
def item_mark_children(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """Mark an item as about the children, or not (the mediator's button)."""
    case = _staff_case(request, case_pk)
    item = _item(request, case, item_pk)
    try:
        services.agenda_item_mark_children(
            actor=request.user, item=item, touches_children=request.POST.get("children") == "yes"
        )
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('agenda:case', args=[case.pk])}#item-{item.pk}")


# The portal: parties see the same agenda and contribute to it.


def _portal_case(request: HttpRequest, case_pk: int) -> Case | None:
    try:
        return selectors.agenda_case_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        return None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", {"nav": "portal"}, status=404)


def _portal_page(
    request: HttpRequest, template: str, form: Any, status: int = 200, **context: Any
) -> HttpResponse:
    if request.method == "POST" and form.errors:
        status = 422
    return render(request, template, {"nav": "portal", "form": form, **context}, status=status)


@login_required
@require_GET
def portal_agenda(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The agenda as the parties see it: topics, options, agreed wording and their priorities."""
    if is_staff_member(request.user) and not is_portal_party(request.user, case_pk):
        return redirect("agenda:case", case_pk)
    case = _portal_case(request, case_pk)
    if case is None:
        return _not_found(request)
    agenda = selectors.agenda_for(user=request.user, case=case)
    offers = selectors.proposals_for(user=request.user, case=case)
    rows = [
        (item, agenda.own_priorities.get(item.pk), offers.get(item.pk, [])) for item in agenda.items
    ]
    return render(
        request,
        "agenda/portal_agenda.html",
        {
            "nav": "portal",
            "case": case,
            "agenda": agenda,
            "rows": rows,
            "priority_choices": PRIORITY_CHOICES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_item_new(request: HttpRequest, case_pk: int) -> HttpResponse:
    """A party proposes a topic."""
    case = (
        None
        if is_staff_member(request.user) and not is_portal_party(request.user, case_pk)
        else _portal_case(request, case_pk)
    )
    if case is None:
        return _not_found(request)
    form = AgendaItemForm(posted(request), case=case)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.agenda_item_propose(
                actor=request.user, case=case, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "Your topic has been added to the agenda.")
        return redirect("agenda:portal", case.pk)
    return _portal_page(request, "agenda/portal_item_new.html", form, case=case)


@login_required
@require_http_methods(["GET", "POST"])
def portal_option_new(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A party suggests an option for an item."""
    case = (
        None
        if is_staff_member(request.user) and not is_portal_party(request.user, case_pk)
        else _portal_case(request, case_pk)
    )
    if case is None:
        return _not_found(request)
    try:
        item = selectors.agenda_item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        return _not_found(request)
    form = AgendaOptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if submit(
            form, lambda: services.agenda_option_add(actor=request.user, item=item, text=text)
        ):
            messages.success(request, "Your option has been added.")
            return redirect("agenda:portal", case.pk)
    return _portal_page(request, "agenda/portal_option_new.html", form, case=case, item=item)


@login_required
@require_POST
def portal_priority(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A party sets their own priority for an item."""
    case = (
        None
        if is_staff_member(request.user) and not is_portal_party(request.user, case_pk)
        else _portal_case(request, case_pk)
    )
    if case is None:
        return _not_found(request)
    try:
        item = selectors.agenda_item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        return _not_found(request)
    form = AgendaPriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a priority from 1 (low) to 5 (high).")
        return redirect("agenda:portal", case.pk)
    try:
        services.agenda_priority_set(
            actor=request.user, item=item, priority=form.cleaned_data["priority"]
        )
    except NotFoundOrHidden:
        return _not_found(request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your priority has been saved.")
    return redirect(f"{reverse('agenda:portal', args=[case.pk])}#item-{item.pk}")


# Proposals: see accord.agenda.proposals for who may do what.


def _proposal(request: HttpRequest, case: Case, proposal_pk: int) -> Any:
    try:
        return selectors.proposal_get_for(user=request.user, case=case, proposal_id=proposal_pk)
    except NotFoundOrHidden:
        raise Http404("No such proposal.") from None


@staff_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A case mediator puts a proposal on an item for a party, with their permission."""
    case = _staff_case(request, case_pk)
    item = _item(request, case, item_pk)
    form = MediatorProposalForm(posted(request), parties=proposals.case_parties(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form, lambda: proposals.agenda_proposal_make(actor=request.user, item=item, **data)
        ):
            messages.success(request, "The proposal has been put on the item.")
            return redirect(f"{reverse('agenda:case', args=[case.pk])}#item-{item.pk}")
    return form_page(request, "agenda/proposal_new.html", form, case=case, item=item)


@staff_required
@require_http_methods(["GET", "POST"])
def proposal_relay(request: HttpRequest, case_pk: int, proposal_pk: int) -> HttpResponse:
    """A case mediator relays a shuttle proposal to the other party, in words they choose."""
    case = _staff_case(request, case_pk)
    proposal = _proposal(request, case, proposal_pk)
    form = ProposalRelayForm(posted(request), initial={"text": proposal.text})
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if submit(
            form,
            lambda: proposals.agenda_proposal_relay(
                actor=request.user, proposal=proposal, text=text
            ),
        ):
            messages.success(request, "The proposal has been relayed to the other party.")
            return redirect(f"{reverse('agenda:case', args=[case.pk])}#item-{proposal.item_id}")
    return form_page(request, "agenda/proposal_relay.html", form, case=case, proposal=proposal)


@staff_required
@require_POST
def proposal_answer_relay(
    request: HttpRequest, case_pk: int, proposal_pk: int, answer_pk: int
) -> HttpResponse:
    """A case mediator passes a shuttle answer back to the party who made the proposal."""
    case = _staff_case(request, case_pk)
    proposal = _proposal(request, case, proposal_pk)
    response = proposal.answers.filter(pk=answer_pk).first()
    if response is None:
        raise Http404("No such answer.")
    try:
        proposals.agenda_proposal_answer_relay(actor=request.user, response=response)
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The answer has been passed on.")
    return redirect(f"{reverse('agenda:case', args=[case.pk])}#item-{proposal.item_id}")


@login_required
@require_http_methods(["GET", "POST"])
def portal_proposal_new(request: HttpRequest, case_pk: int, item_pk: int) -> HttpResponse:
    """A party puts a proposal on an item."""
    case = None if is_staff_member(request.user) else _portal_case(request, case_pk)
    if case is None:
        return _not_found(request)
    try:
        item = selectors.agenda_item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        return _not_found(request)
    form = ProposalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if submit(
            form, lambda: proposals.agenda_proposal_make(actor=request.user, item=item, text=text)
        ):
            messages.success(request, "Your proposal has been made.")
            return redirect(f"{reverse('agenda:portal', args=[case.pk])}#item-{item.pk}")
    return _portal_page(request, "agenda/portal_proposal_new.html", form, case=case, item=item)


@login_required
@require_http_methods(["GET", "POST"])
def portal_proposal_answer(request: HttpRequest, case_pk: int, proposal_pk: int) -> HttpResponse:
    """Another party accepts, rejects or counters a proposal."""
    case = None if is_staff_member(request.user) else _portal_case(request, case_pk)
    if case is None:
        return _not_found(request)
    rows = selectors.proposals_for(user=request.user, case=case)
    row = next(
        (r for rs in rows.values() for r in rs if str(r.proposal.pk) == str(proposal_pk)), None
    )
    if row is None:
        return _not_found(request)
    form = ProposalAnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: proposals.agenda_proposal_answer(
                actor=request.user, proposal=row.proposal, **data
            ),
        ):
            messages.success(request, "Your answer has been saved.")
            return redirect(
                f"{reverse('agenda:portal', args=[case.pk])}#item-{row.proposal.item_id}"
            )
    return _portal_page(request, "agenda/portal_proposal_answer.html", form, case=case, row=row)


# Session plans: see accord.agenda.session_plan.


@staff_required
@require_http_methods(["GET", "POST"])
def session_plan(request: HttpRequest, case_pk: int, session_pk: int) -> HttpResponse:
    """A case mediator plans a session from the agenda: items, order, goals, minutes."""
    from accord.agenda.session_plan import PlanRow, session_plan_for, session_plan_set
    from accord.mediation.selectors import session_get_for

    case = _staff_case(request, case_pk)
    try:
        session = session_get_for(user=request.user, case=case, session_id=session_pk)
    except NotFoundOrHidden:
        raise Http404("No such session.") from None
    agenda = selectors.agenda_for(user=request.user, case=case)
    plan = session_plan_for(user=request.user, session=session)
    planned = {r.item_id: r for r in plan.rows}
    errors: dict[str, list[str]] = {}
    error = ""
    if request.method == "POST":
        rows = []
        for item in agenda.items:
            if request.POST.get(f"include_{item.pk}") != "on":
                continue
            try:
                position = int(request.POST.get(f"order_{item.pk}", "0") or 0)
                minutes = int(request.POST.get(f"minutes_{item.pk}", ""))
            except ValueError:
                errors[f"minutes_{item.pk}"] = ["Enter the order and minutes as whole numbers."]
                continue
            goal = request.POST.get(f"goal_{item.pk}", "")
            rows.append(PlanRow(item.pk, position, minutes, goal))
        if not errors:
            try:
                session_plan_set(actor=request.user, session=session, rows=rows)
            except (NotFoundOrHidden, NotPermitted) as exc:
                raise_http(exc)
            except DomainError as exc:
                errors = exc.field_errors or {}
                error = exc.message
            else:
                messages.success(request, "The session plan has been saved.")
                return redirect("mediation:session", case.pk, session.pk)
        error = error or "The plan could not be saved."
    lines = [
        {
            "item": item,
            "row": planned.get(item.pk),
            "minutes_error": (errors.get(f"minutes_{item.pk}") or [""])[0],
            "goal_error": (errors.get(f"goal_{item.pk}") or [""])[0],
            "posted": request.POST if request.method == "POST" else None,
        }
        for item in agenda.items
    ]
    return render(
        request,
        "agenda/session_plan.html",
        {
            "nav": "cases",
            "case": case,
            "session": session,
            "plan": plan,
            "lines": lines,
            "error": error,
        },
        status=422 if error else 200,
    )
