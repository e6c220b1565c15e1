"""Staff pages for cases: dashboard, list, workspace, and the forms that change a case.

Views only parse input, call a selector or a service, and render. Who may see a case is decided
by `selectors.case_get_for` (404 for anything hidden); who may act by `policy.can` (403 for
someone who can see the case but may not do this). Parties never reach these pages: they get 404
and use the portal instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accord.audit.models import AuditEvent
from accord.cases import kinds, paging, policy, selectors, services, timeline, workspace
from accord.cases.forms import (
    CaseDetailsForm,
    CaseFilterForm,
    CaseOpenForm,
    ParticipantForm,
    StageMoveForm,
    TeamForm,
)
from accord.cases.models import Case, Participant
from accord.cases.paging import Count
from accord.cases.selectors import CaseFilters, ParticipantView
from accord.cases.timeline import TimelineEntry
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.htmx import vary_on_htmx, wants_fragment
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import roles_in, staff_organisation_for

CASES_PER_PAGE = 25
TIMELINE_PER_PAGE = 50
#: The workspace shows the latest events only, so its cost does not grow with the case's history.
TIMELINE_PREVIEW = 20
#: The dashboard lists this many of the user's cases and links to the full list for the rest.
DASHBOARD_LIMIT = 50
_OPENERS = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR, Role.MEDIATOR})
_SERVICE_OVERVIEW = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR})


def _workspace_case(request: HttpRequest, pk: int, action: str | None = None) -> Case:
    """The case if the user may open its workspace (else 404) and do the action (else 403)."""
    try:
        case = selectors.case_get_for(user=request.user, case_id=pk, action="view_workspace")
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if action is not None and not policy.can(request.user, action, case):
        raise PermissionDenied("You do not have permission to do that on this case.")
    return case


def _case_participant(request: HttpRequest, case: Case, participant_pk: int) -> ParticipantView:
    """One participant of this case, as this user may see them; 404 if not in the case."""
    for view in selectors.participant_views(user=request.user, case=case):
        if view.id == participant_pk:
            return view
    raise Http404("No such participant.")


def _paginate(
    items: QuerySet[Any] | Sequence[Any],
    raw_page: str | None,
    per_page: int,
    *,
    count: Count | None = None,
) -> tuple[Page[Any], str]:
    """The requested page, clamped into range, and a notice if the request had to be changed.

    With a capped `count`, only the pages within the cap are numbered (the rest are reached
    with keyset links, see `case_list`), and no full COUNT is run.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count.value  # a cached_property, set once: no COUNT query
    notice = ""
    try:
        number = int(raw_page) if raw_page not in (None, "") else 1
    except (TypeError, ValueError):
        number = 1
        notice = "The page number was not recognised, so the first page is shown."
    if number < 1:
        number = 1
        notice = "Page numbers start at 1, so the first page is shown."
    elif number > paginator.num_pages:
        if count is not None and count.capped:
            notice = (
                f"Pages after page {paginator.num_pages} are reached with the Next link, "
                f"so page {paginator.num_pages} is shown."
            )
        else:
            notice = (
                f"There {'is' if paginator.num_pages == 1 else 'are'} only {paginator.num_pages} "
                f"page{'' if paginator.num_pages == 1 else 's'}, so the last page is shown."
            )
        number = paginator.num_pages
    return paginator.page(number), notice


@dataclass
class CaseListPage:
    """What the case list shows of its results: numbered near the start, by cursor beyond."""

    items: list[Case]
    count: Count
    number: int | None = None
    pages: int | None = None
    start: int = 0
    end: int = 0
    notice: str = ""
    first_url: str = ""
    previous_url: str = ""
    next_url: str = ""
    last_url: str = ""

    @property
    def numbered(self) -> bool:
        return self.number is not None

    @property
    def object_list(self) -> list[Case]:
        return self.items


class BadListRequest(Exception):
    """A list request that cannot be answered (a changed cursor): 400 with the reason."""


def _list_link(querystring: str, **param: Any) -> str:
    return "?" + "&".join(filter(None, (querystring, urlencode(param))))


def _case_list_page(
    request: HttpRequest, qs: QuerySet[Case], querystring: str, *, cap: int = paging.COUNT_CAP
) -> CaseListPage:
    """Numbered pages within the count's cap; keyset pages (after, before, last) beyond it."""
    after, before = request.GET.get("after"), request.GET.get("before")
    if after or before or request.GET.get("last"):
        count = paging.capped_count(qs, cap)
        cursor: tuple[dt.datetime, int] | None
        try:
            if after:
                cursor = paging.cursor_read(after, scope=querystring)
                page = paging.page_after(qs, cursor, CASES_PER_PAGE)
            else:
                cursor = paging.cursor_read(before, scope=querystring) if before else None
                page = paging.page_before(qs, cursor, CASES_PER_PAGE)
        except paging.BadCursor as exc:
            raise BadListRequest(str(exc)) from None
        result = CaseListPage(items=page.items, count=count)
        if page.items and page.has_previous:
            result.first_url = _list_link(querystring)
            result.previous_url = _list_link(
                querystring, before=paging.cursor_for(page.items[0], scope=querystring)
            )
        if page.items and page.has_next:
            result.next_url = _list_link(
                querystring, after=paging.cursor_for(page.items[-1], scope=querystring)
            )
            result.last_url = _list_link(querystring, last=1)
        return result
    # The numbered pages lie within the cap: their cases' ids come with the count.
    ids, count = paging.first_ids(qs, cap)
    numbered, notice = _paginate(ids, request.GET.get("page"), CASES_PER_PAGE, count=count)
    shown = list(numbered.object_list)
    result = CaseListPage(
        items=selectors.cases_listed(shown),
        count=count,
        number=numbered.number,
        pages=numbered.paginator.num_pages,
        start=numbered.start_index(),
        end=numbered.end_index(),
        notice=notice,
    )
    if numbered.has_previous():
        result.previous_url = _list_link(querystring, page=numbered.previous_page_number())
    if numbered.has_next():
        result.next_url = _list_link(querystring, page=numbered.next_page_number())
    elif count.capped and result.items:
        # Past the numbered pages: the next page follows the last case shown.
        result.next_url = _list_link(
            querystring, after=paging.cursor_for(result.items[-1], scope=querystring)
        )
    if count.capped:
        result.last_url = _list_link(querystring, last=1)
    return result


# Dashboard and list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyCase:
    """One of the user's cases on the dashboard, with the part they play in it."""

    case: Case
    position: str


def _position(case: Case, user: Any) -> str:
    if case.lead_mediator_id == user.pk:
        return "Lead mediator"
    if case.co_mediator_id == user.pk:
        return "Co-mediator"
    return "Supervisor"


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in member of staff's cases, and an overview for coordinators and admins."""
    user = request.user
    mine = selectors.my_open_cases(user=user, limit=DASHBOARD_LIMIT + 1)
    organisation = staff_organisation_for(user)
    roles = roles_in(user, organisation.pk if organisation else None)
    stage_counts = None
    if organisation is not None and roles & _SERVICE_OVERVIEW:
        stage_counts = selectors.open_case_counts_by_stage(
            user=user, organisation_id=organisation.pk
        )
    return render(
        request,
        "cases/dashboard.html",
        {
            "nav": "dashboard",
            "my_cases": [MyCase(case, _position(case, user)) for case in mine[:DASHBOARD_LIMIT]],
            "more_cases": len(mine) > DASHBOARD_LIMIT,
            "stage_counts": stage_counts,
            "open_total": sum(row.count for row in stage_counts or []),
            "can_open_case": bool(roles & _OPENERS),
            # A member of staff who is also a party somewhere reaches that case in the portal.
            "own_portal_cases": selectors.portal_cases_for(user=user),
        },
    )


def _clean_filters(
    request: HttpRequest, organisation: Organisation | None
) -> tuple[CaseFilterForm, CaseFilters, list[str], str]:
    """Read the list's filters leniently: bad values are dropped with a notice, never a 500."""
    raw = {
        name: request.GET.get(name, "").replace("\x00", "")
        for name in ("q", "kind", "stage", "mediator", "mine", "include_closed")
        if name in request.GET
    }
    form = CaseFilterForm(raw, organisation=organisation)
    notices = []
    if not form.is_valid():
        for name in form.errors:
            label = form.fields[name].label if name in form.fields else name
            notices.append(f"The {str(label).lower()} filter was not recognised and was ignored.")
            raw.pop(name, None)
        form = CaseFilterForm(raw, organisation=organisation)
        form.is_valid()
    data = form.cleaned_data
    mediator = data.get("mediator")
    filters = CaseFilters(
        q=(data.get("q") or "").strip(),
        kind=data.get("kind") or "",
        stage=data.get("stage") or "",
        mediator_id=mediator.pk if mediator is not None else None,
        mine=bool(data.get("mine")),
        include_closed=bool(data.get("include_closed")),
    )
    query = {
        "q": filters.q,
        "kind": filters.kind,
        "stage": filters.stage,
        "mediator": filters.mediator_id or "",
        "mine": "on" if filters.mine else "",
        "include_closed": "on" if filters.include_closed else "",
    }
    querystring = urlencode({key: value for key, value in query.items() if value})
    return form, filters, notices, querystring


@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case the user may see, searchable and filtered, 25 to a page."""
    user = request.user
    organisation = staff_organisation_for(user)
    form, filters, notices, querystring = _clean_filters(request, organisation)
    try:
        page = _case_list_page(
            request,
            selectors.case_list(user=user, filters=filters),
            querystring,
            cap=paging.count_cap(searching=bool(filters.q.strip())),
        )
    except BadListRequest as exc:
        return render(
            request,
            "cases/case_list_bad_request.html",
            {"nav": "cases", "message": str(exc)},
            status=400,
        )
    if page.notice:
        notices.append(page.notice)
    roles = roles_in(user, organisation.pk if organisation else None)
    context = {
        "nav": "cases",
        "form": form,
        "page": page,
        "notices": notices,
        "querystring": querystring,
        "filtered": bool(querystring),
        "searched": bool(filters.q.strip()),
        "can_open_case": bool(roles & _OPENERS),
    }
    template = "cases/case_list.html"
    if wants_fragment(request, "case-results"):
        template = "cases/_case_results.html"
    return vary_on_htmx(render(request, template, context))


# Opening a case --------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a new case in the user's service."""
    user = request.user
    organisation = staff_organisation_for(user)
    if organisation is None or not roles_in(user, organisation.pk) & _OPENERS:
        raise PermissionDenied("Only coordinators, mediators and admins can open cases.")
    form = CaseOpenForm(posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened: list[Case] = []
        if submit(
            form,
            lambda: opened.append(
                services.case_open(
                    actor=user,
                    organisation=organisation,
                    kind=data["kind"],
                    title=data["title"],
                    summary=data["summary"],
                    lead_mediator=data["lead_mediator"],
                    co_mediator=data["co_mediator"],
                    supervisor=data["supervisor"],
                )
            ),
        ):
            case = opened[0]
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("cases:detail", pk=case.pk)
    return form_page(request, "cases/case_new.html", form)


# The workspace ---------------------------------------------------------------------------------


def _stage_label(case: Case, code: Any) -> str:
    try:
        return case.workflow.stage(str(code)).label
    except KeyError:
        return str(code)


def timeline_entries(events: Iterable[AuditEvent], case: Case) -> list[TimelineEntry]:
    """Describe a page of events in words, fetching the names they mention in a few queries."""
    return timeline.entries(events, case)


def _timeline_part(request: HttpRequest, case: Case) -> tuple[str, list[str]]:
    """The part the timeline is filtered by ("" for all), and a notice if it was not known."""
    raw = request.GET.get("part", "").replace("\x00", "")
    if not raw:
        return "", []
    if raw == "case" or raw in {item.code for item in timeline.filter_parts(case.kind)}:
        return raw, []
    return "", ["That part was not recognised on this case, so the whole timeline is shown."]


def _timeline_filters(case: Case, base_url: str, current: str) -> list[tuple[str, str, bool]]:
    """Links that show the timeline of one part: everything, the case itself, then each part."""
    joiner = "&" if "?" in base_url else "?"
    links = [("Everything", base_url, current == "")]
    links.append(("The case and its people", f"{base_url}{joiner}part=case", current == "case"))
    for item in timeline.filter_parts(case.kind):
        links.append((item.label, f"{base_url}{joiner}part={item.code}", current == item.code))
    return links


def _filtered(events: QuerySet[AuditEvent], part: str) -> QuerySet[AuditEvent]:
    if not part:
        return events
    if part == "case":
        others = Q()
        for item in kinds.all_parts():
            others |= timeline.part_filter(item.code)
        return events.exclude(others)
    return events.filter(timeline.part_filter(part))


_CASE_ACTIONS = ("change", "move_stage", "manage_participants", "manage_team")


@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case workspace, one section at a time (`?section=`): the summary unless asked.

    Each section is an ordinary page, so the tabs work without JavaScript; an unknown section,
    or one that does not apply to the case's kind, shows the summary.
    """
    case = _workspace_case(request, pk)
    user = request.user
    allowed = {action: policy.can(user, action, case) for action in _CASE_ACTIONS}
    sections = workspace.sections_for(user, case)
    section = workspace.current_section(request.GET.get("section"), sections)
    context: dict[str, Any] = {
        "nav": "cases",
        "case": case,
        "sections": sections,
        "section": section,
        "allowed": allowed,
        "people_url": workspace.section_url(case, "people"),
    }
    if section.name in ("summary", "people"):
        context["participants"] = selectors.participant_views(user=user, case=case)
    if section.name == "summary":
        context["summary"] = workspace.summary_for(user, case)
    if section.name == "timeline":
        part, notices = _timeline_part(request, case)
        events = list(
            _filtered(selectors.case_timeline(user=user, case=case), part)[: TIMELINE_PREVIEW + 1]
        )
        whole = reverse("cases:timeline", args=[case.pk])
        context.update(
            timeline=timeline_entries(events[:TIMELINE_PREVIEW], case),
            timeline_has_more=len(events) > TIMELINE_PREVIEW,
            timeline_filters=_timeline_filters(case, section.url, part),
            whole_timeline_url=f"{whole}?part={part}" if part else whole,
            notices=notices,
        )
    return vary_on_htmx(render(request, "cases/case_detail.html", context))


@staff_required
def case_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's whole timeline, newest first, 50 events to a page."""
    case = _workspace_case(request, pk)
    part, notices = _timeline_part(request, case)
    page, notice = _paginate(
        _filtered(selectors.case_timeline(user=request.user, case=case), part),
        request.GET.get("page"),
        TIMELINE_PER_PAGE,
    )
    if notice:
        notices.append(notice)
    return render(
        request,
        "cases/case_timeline.html",
        {
            "nav": "cases",
            "case": case,
            "page": page,
            "part": part,
            "timeline": timeline_entries(page.object_list, case),
            "timeline_filters": _timeline_filters(
                case, reverse("cases:timeline", args=[case.pk]), part
            ),
            "notices": notices,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def case_move_stage(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the case to another stage its workflow allows, with a reason."""
    case = _workspace_case(request, pk, "move_stage")
    form = StageMoveForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.case_change_stage(
                actor=request.user, case=case, to_stage=data["to_stage"], reason=data["reason"]
            ),
        ):
            label = _stage_label(case, data["to_stage"])
            messages.success(request, f"The case has moved to “{label}”.")
            return redirect("cases:detail", pk=case.pk)
    return form_page(request, "cases/case_move_stage.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the case's title and summary."""
    case = _workspace_case(request, pk, "change")
    form = CaseDetailsForm(posted(request), initial={"title": case.title, "summary": case.summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.case_update_details(
                actor=request.user, case=case, title=data["title"], summary=data["summary"]
            ),
        ):
            messages.success(request, "The case details have been saved.")
            return redirect("cases:detail", pk=case.pk)
    return form_page(request, "cases/case_edit.html", form, case=case)


@staff_required
@require_http_methods(["GET", "POST"])
def case_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the lead mediator, co-mediator and supervisor."""
    case = _workspace_case(request, pk, "manage_team")
    form = TeamForm(
        posted(request),
        organisation=case.organisation,
        initial={
            "lead_mediator": case.lead_mediator_id,
            "co_mediator": case.co_mediator_id,
            "supervisor": case.supervisor_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.case_assign_team(
                actor=request.user,
                case=case,
                lead_mediator=data["lead_mediator"],
                co_mediator=data["co_mediator"],
                supervisor=data["supervisor"],
            ),
        ):
            messages.success(request, "The case team has been saved.")
            return redirect(workspace.section_url(case, "people"))
    return form_page(request, "cases/case_team.html", form, case=case)


# Participants ----------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a participant to the case."""
    case = _workspace_case(request, pk, "manage_participants")
    form = ParticipantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(form, lambda: services.participant_add(actor=request.user, case=case, **data)):
            messages.success(request, f"{data['full_name']} has been added to the case.")
            return redirect(workspace.section_url(case, "people"))
    return form_page(request, "cases/participant_form.html", form, case=case, participant=None)


def _participant_initial(view: ParticipantView) -> dict[str, Any]:
    """The form's starting values, read through the view that blanks what the user may not see."""
    initial: dict[str, Any] = {
        "role": view.role,
        "full_name": view.full_name,
        "organisation_name": view.organisation_name,
        "email": view.email,
        "phone": view.phone,
        "date_of_birth": view.date_of_birth,
        "safe_contact_methods": view.safe_contact_methods,
        "safe_contact_notes": view.safe_contact_notes,
    }
    if view.show_address:
        initial["address"] = view.address
        initial["confidential_address"] = view.participant.confidential_address
    return initial


@staff_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Change a participant's details; a confidential address stays with the case team."""
    case = _workspace_case(request, pk)
    view = _case_participant(request, case, participant_pk)
    if not policy.can(request.user, "manage_participants", case):
        raise PermissionDenied("You may not change participants on this case.")
    form = ParticipantForm(
        posted(request), show_address=view.show_address, initial=_participant_initial(view)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if submit(
            form,
            lambda: services.participant_update(
                actor=request.user, participant=view.participant, **data
            ),
        ):
            messages.success(request, f"{data['full_name']}'s details have been saved.")
            return redirect(workspace.section_url(case, "people", f"participant-{view.id}"))
    return form_page(request, "cases/participant_form.html", form, case=case, participant=view)


@staff_required
@require_POST
def participant_invite(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Email a participant a single-use link to set up their portal login."""
    case = _workspace_case(request, pk)
    view = _case_participant(request, case, participant_pk)
    if not policy.can(request.user, "manage_participants", case):
        raise PermissionDenied("You may not invite participants on this case.")
    participant: Participant = view.participant
    try:
        # The link is built from the site's public address, as in every other email.
        services.participant_invite_to_portal(actor=request.user, participant=participant)
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, f"{participant.full_name} was not invited. {exc.message}")
    else:
        messages.success(
            request, f"An invitation to the portal has been emailed to {participant.full_name}."
        )
    return redirect(workspace.section_url(case, "people", f"participant-{view.id}"))
