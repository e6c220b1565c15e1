"""Financial disclosure pages: the case team's (/cases/<id>/finance/) and each party's
(/portal/cases/<id>/finance/). The same views serve both; the selectors decide what each reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.cases.progress import part_applies
from accord.cases.selectors import case_get_for
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.web import form_page, posted, staff_required, submit
from accord.finance import selectors, services
from accord.finance.forms import EvidenceForm, ItemForm
from accord.finance.models import ConsentPackDelivery, FormEPart


def _case(request: HttpRequest, case_pk: int, *, portal: bool) -> tuple[Case, Participant | None]:
    """The case and, on the portal, the reader's own party; 404 for anyone else."""
    try:
        case = case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such case.") from None
    if not part_applies(case, "disclosure"):
        raise Http404("Financial disclosure is part of family cases about money and property.")
    if portal:
        me = selectors.reader_party(request.user, case)
        if me is None:
            raise Http404("No such case.")
        return case, me
    if not case_policy.can(request.user, "view_workspace", case):
        raise Http404("No such case.")
    return case, None


def _home(case: Case, portal: bool) -> str:
    return reverse("finance:portal" if portal else "finance:case", kwargs={"case_pk": case.pk})


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> None:
    """Run a service for a button; a broken rule is shown as an error message."""
    try:
        action()
    except NotFoundOrHidden as exc:
        raise Http404(exc.message) from None
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


def _letters(case: Case) -> dict[str, str]:
    names = dict(
        Participant.objects.filter(pk__in=services.party_letters(case)).values_list(
            "id", "full_name"
        )
    )
    return {letter: names.get(pk, "") for pk, letter in services.party_letters(case).items()}


@never_cache
@login_required
@require_GET
def disclosure_page(request: HttpRequest, case_pk: int, portal: bool = False) -> HttpResponse:
    """Both disclosures for the case team; one's own and what was shared, for a party."""
    case, me = _case(request, case_pk, portal=portal)
    if not portal and not case_policy.can(request.user, "view_workspace", case):
        raise Http404("No such case.")
    disclosures = selectors.disclosures_for(user=request.user, case=case)
    from accord.deadlines.models import Deadline

    deadlines = Deadline.objects.filter(case=case, rule_code=services.DISCLOSURE_RULE)
    if portal:
        deadlines = deadlines.filter(concerns_participant=me, visible_to_participants=True)
    return render(
        request,
        "finance/disclosure.html",
        {
            "nav": "portal" if portal else "cases",
            "case": case,
            "portal": portal,
            "me": me,
            "disclosures": disclosures,
            "parts": FormEPart.choices,
            "deadlines": list(deadlines.order_by("due_at")),
            "is_mediator": not portal and services.is_case_mediator(request.user, case),
            "home": _home(case, portal),
            "url_prefix": "finance:portal_" if portal else "finance:",
            "deliveries": []
            if portal
            else list(ConsentPackDelivery.objects.filter(case=case).select_related("party")),
        },
    )


def _item_page(
    request: HttpRequest, case: Case, portal: bool, form: ItemForm, **context: Any
) -> HttpResponse:
    return form_page(
        request,
        "finance/item_form.html",
        form,
        nav="portal" if portal else "cases",
        case=case,
        portal=portal,
        home=_home(case, portal),
        url_prefix="finance:portal_" if portal else "finance:",
        **context,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def item_add(
    request: HttpRequest, case_pk: int, participant_pk: int | None = None, portal: bool = False
) -> HttpResponse:
    """Add an item: a party to their own disclosure, a case mediator to a party's."""
    case, me = _case(request, case_pk, portal=portal)
    party: Participant
    if portal and me is not None:
        party = me
    else:
        try:
            party = selectors.party_for_staff(
                user=request.user, case=case, participant_id=participant_pk
            )
        except NotFoundOrHidden:
            raise Http404("No such party.") from None
    form = ItemForm(posted(request), letters=_letters(case), initial={"share_a_percent": 50})
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.disclosure_item_add(
                actor=request.user, case=case, participant=party, **form.service_kwargs()
            ),
        )
    ):
        messages.success(request, "The item has been added.")
        return redirect(_home(case, portal))
    return _item_page(request, case, portal, form, party=party, adding=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def item_edit(
    request: HttpRequest, case_pk: int, item_pk: int, portal: bool = False
) -> HttpResponse:
    """Correct an item (after sharing, the other party sees it marked as changed)."""
    case, _ = _case(request, case_pk, portal=portal)
    try:
        item = selectors.item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        raise Http404("No such item.") from None
    from accord.finance.money import pence_to_decimal

    form = ItemForm(
        posted(request),
        letters=_letters(case),
        initial={
            "part": item.part,
            "description": item.description,
            "owner": item.owner,
            "share_a_percent": item.share_a_percent,
            "value": f"{pence_to_decimal(item.value_pence)}",
            "gross": "" if item.gross_pence is None else f"{pence_to_decimal(item.gross_pence)}",
            "valuation_date": item.valuation_date,
            "note": item.note,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.disclosure_item_change(
                actor=request.user, item=item, **form.service_kwargs()
            ),
        )
    ):
        messages.success(request, "The item has been corrected.")
        return redirect(_home(case, portal))
    return _item_page(
        request, case, portal, form, party=item.disclosure.participant, adding=False, item=item
    )


@login_required
@require_POST
def item_remove(
    request: HttpRequest, case_pk: int, item_pk: int, portal: bool = False
) -> HttpResponse:
    case, _ = _case(request, case_pk, portal=portal)
    try:
        item = selectors.item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        raise Http404("No such item.") from None
    _act(
        request,
        lambda: services.disclosure_item_remove(actor=request.user, item=item),
        "The item has been removed.",
    )
    return redirect(_home(case, portal))


def _party_from_post(request: HttpRequest, case: Case, me: Participant | None) -> Participant:
    if me is not None:
        return me
    try:
        return selectors.party_for_staff(
            user=request.user, case=case, participant_id=request.POST.get("participant")
        )
    except NotFoundOrHidden:
        raise Http404("No such party.") from None


@login_required
@require_POST
def part_complete(request: HttpRequest, case_pk: int, portal: bool = False) -> HttpResponse:
    """Mark a Form E part complete (or reopen it)."""
    case, me = _case(request, case_pk, portal=portal)
    party = _party_from_post(request, case, me)
    complete = request.POST.get("complete", "1") == "1"
    _act(
        request,
        lambda: services.disclosure_part_complete(
            actor=request.user,
            case=case,
            participant=party,
            part=request.POST.get("part", ""),
            complete=complete,
        ),
        "The part is marked complete." if complete else "The part is open again.",
    )
    return redirect(_home(case, portal))


@login_required
@require_POST
def share(request: HttpRequest, case_pk: int, portal: bool = False) -> HttpResponse:
    """Share a disclosure with the other party as it is now."""
    case, me = _case(request, case_pk, portal=portal)
    party = _party_from_post(request, case, me)
    _act(
        request,
        lambda: services.disclosure_share(actor=request.user, case=case, participant=party),
        "The disclosure has been shared with the other party as it is now.",
    )
    return redirect(_home(case, portal))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(
    request: HttpRequest, case_pk: int, item_pk: int, portal: bool = False
) -> HttpResponse:
    """Upload a document against an item."""
    case, _ = _case(request, case_pk, portal=portal)
    try:
        item = selectors.item_get_for(user=request.user, case=case, item_id=item_pk)
    except NotFoundOrHidden:
        raise Http404("No such item.") from None
    form = EvidenceForm(posted(request), request.FILES if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.evidence_upload(
                actor=request.user, item=item, upload=form.cleaned_data["attachment"]
            ),
        )
    ):
        messages.success(request, "The evidence has been uploaded.")
        return redirect(_home(case, portal))
    needs = services.requirements_in_force(case.organisation_id, item.valuation_date)
    return form_page(
        request,
        "finance/evidence_form.html",
        form,
        nav="portal" if portal else "cases",
        case=case,
        item=item,
        needs=needs.get(item.part, ""),
        home=_home(case, portal),
    )


@never_cache
@login_required
@require_GET
def evidence_download(
    request: HttpRequest, case_pk: int, evidence_pk: int, portal: bool = False
) -> FileResponse:
    """A document, for the case team or the party who disclosed the item."""
    case, _ = _case(request, case_pk, portal=portal)
    try:
        evidence = selectors.evidence_get_for(user=request.user, case=case, evidence_id=evidence_pk)
    except NotFoundOrHidden:
        raise Http404("No such document.") from None
    try:
        handle = evidence.content.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(cache=False)
@require_POST
def evidence_seen(request: HttpRequest, case_pk: int, evidence_pk: int) -> HttpResponse:
    """A case mediator marks a document seen."""
    case, _ = _case(request, case_pk, portal=False)
    try:
        evidence = selectors.evidence_get_for(user=request.user, case=case, evidence_id=evidence_pk)
    except NotFoundOrHidden:
        raise Http404("No such document.") from None
    _act(
        request,
        lambda: services.evidence_mark_seen(actor=request.user, evidence=evidence),
        "The evidence is marked seen.",
    )
    return redirect(_home(case, False))


@staff_required(cache=False)
@require_POST
def statement_issue(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Issue the Open Financial Statement (PDF and Word) and share it with both parties."""
    from accord.finance.statement import statement_issue as issue

    case, _ = _case(request, case_pk, portal=False)
    _act(
        request,
        lambda: issue(actor=request.user, case=case),
        "The Open Financial Statement is issued and shared with both parties.",
    )
    return redirect(_home(case, False))


@staff_required(cache=False)
@require_GET
def schedule_xlsx(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The asset schedule as a spreadsheet with live formulas, from the shared disclosures."""
    from accord.finance.statement import schedule_xlsx as build

    case, _ = _case(request, case_pk, portal=False)
    try:
        content = build(case)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_home(case, False))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="asset-schedule-{case.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(cache=False)
@require_POST
def deadline_set(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Set the disclosure deadline for each party (the dated rule finance.disclosure)."""
    case, _ = _case(request, case_pk, portal=False)
    _act(
        request,
        lambda: services.disclosure_deadline_set(actor=request.user, case=case),
        "The disclosure deadline is set; each party sees it in their portal.",
    )
    return redirect(_home(case, False))
