"""Fees pages: the service's fee schedule and exports, and each case's fees, invoices and
payments. Parties see their own invoices on the portal case page (templatetags)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases import kinds
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, raise_http, staff_required, submit
from accord.fees import charges, reports, selectors, services
from accord.fees.forms import (
    CreditNoteForm,
    FeeRateEndForm,
    FeeRateForm,
    InvoiceNoteForm,
    MeansForm,
    MeansThresholdForm,
    PaymentForm,
    ReportForm,
    SharingForm,
    VoucherReferenceForm,
)
from accord.fees.models import FeeRate, Invoice
from accord.fees.providers import provider
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin, staff_organisation_for


def _organisation(request: HttpRequest) -> Organisation:
    organisation = staff_organisation_for(request.user)
    if organisation is None or not selectors.can_run_reports(request.user, organisation.pk):
        raise Http404("No such page.")
    return organisation


def _case(request: HttpRequest, case_pk: int) -> Case:
    try:
        return case_get_for(user=request.user, case_id=case_pk, action="view_workspace")
    except NotFoundOrHidden:
        raise Http404("No such case.") from None


def _invoice(request: HttpRequest, case: Case, invoice_pk: int) -> Invoice:
    try:
        return selectors.invoice_get_for_staff(user=request.user, case=case, invoice_id=invoice_pk)
    except NotFoundOrHidden:
        raise Http404("No such invoice.") from None


# The service's schedule and exports ---------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """The fee schedule: dated fees per kind of case; administrators add and end them."""
    organisation = _organisation(request)
    admin = is_service_admin(request.user, organisation.pk)
    form = FeeRateForm(posted(request))
    if (
        request.method == "POST"
        and admin
        and form.is_valid()
        and submit(
            form,
            lambda: services.fee_rate_add(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The fee has been added to the schedule.")
        return redirect("fees:schedule")
    rates = selectors.rates_for(user=request.user, organisation=organisation)
    labels = {code: spec.label for code, spec in kinds.KINDS.items()}
    return form_page(
        request,
        "fees/schedule.html",
        form,
        nav="service",
        rates=[(r, labels.get(r.case_kind, r.case_kind)) for r in rates],
        admin=admin,
        organisation=organisation,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rate_end(request: HttpRequest, rate_pk: int) -> HttpResponse:
    organisation = _organisation(request)
    rate = FeeRate.objects.filter(organisation=organisation, pk=rate_pk).first()
    if rate is None or not is_service_admin(request.user, organisation.pk):
        raise Http404("No such fee.")
    form = FeeRateEndForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.fee_rate_end(
                actor=request.user, rate=rate, effective_to=form.cleaned_data["effective_to"]
            ),
        )
    ):
        messages.success(request, "The fee now has an end date.")
        return redirect("fees:schedule")
    return form_page(request, "fees/rate_end.html", form, nav="service", rate=rate)


@staff_required
@require_http_methods(["GET", "POST"])
def means_thresholds(request: HttpRequest) -> HttpResponse:
    """The legal aid means thresholds (dated; national defaults unconfirmed); administrators
    add the service's own checked figures from a date."""
    organisation = _organisation(request)
    admin = is_service_admin(request.user, organisation.pk)
    form = MeansThresholdForm(posted(request))
    if (
        request.method == "POST"
        and admin
        and form.is_valid()
        and submit(
            form,
            lambda: services.means_threshold_add(
                actor=request.user, organisation=organisation, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The service's legal aid thresholds have been added.")
        return redirect("fees:thresholds")
    rows = selectors.means_thresholds_for(user=request.user, organisation=organisation)
    in_force = services.means_threshold_in_force(organisation.pk, timezone.localdate())
    return form_page(
        request,
        "fees/thresholds.html",
        form,
        nav="service",
        rows=rows,
        in_force=in_force,
        admin=admin,
    )


def _csv(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_GET
def reports_page(request: HttpRequest) -> HttpResponse:
    """Exports for bookkeeping, the monthly legal aid claim and the voucher claims."""
    organisation = _organisation(request)
    today = timezone.localdate()
    form = ReportForm(
        request.GET if "start" in request.GET else None,
        initial={"start": today.replace(day=1), "end": today},
    )
    start, end = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    month = request.GET.get("month") or f"{today:%Y-%m}"
    try:
        year, mon = (int(x) for x in month.split("-"))
        dt.date(year, mon, 1)
    except ValueError:
        year, mon = today.year, today.month
    if request.GET.get("export") == "payments":
        return _csv(reports.payments_csv(organisation, start, end), f"payments-{start}-{end}.csv")
    if request.GET.get("export") == "invoices":
        return _csv(reports.invoices_csv(organisation, start, end), f"invoices-{start}-{end}.csv")
    if request.GET.get("export") == "claims":
        return _csv(
            reports.claims_csv(organisation, year, mon), f"legal-aid-claims-{year}-{mon:02d}.csv"
        )
    if request.GET.get("export") == "vouchers":
        return _csv(reports.voucher_csv(organisation), "voucher-claims.csv")
    return render(
        request,
        "fees/reports.html",
        {
            "nav": "service",
            "form": form,
            "start": start,
            "end": end,
            "month": f"{year}-{mon:02d}",
            "claims": reports.claims_rows(organisation, year, mon),
            "vouchers": reports.voucher_rows(organisation),
        },
    )


# A case's fees ------------------------------------------------------------------------------


@staff_required
@require_GET
def case_fees(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Sharing, invoices, balances, what is not yet invoiced, legal aid evidence, the voucher."""
    case = _case(request, case_pk)
    rows = selectors.invoices_for_staff(user=request.user, case=case)
    balances, owed = selectors.balances_for_staff(user=request.user, case=case)
    pending = charges.uninvoiced(case)
    names = {p.pk: p.full_name for p in charges.parties(case)}
    labels = {event.ref: event.label for event in charges.events(case)}
    return render(
        request,
        "fees/case.html",
        {
            "nav": "cases",
            "case": case,
            "rows": rows,
            "balances": balances,
            "owed": owed,
            "pending": [(names.get(pid, ""), lines) for pid, lines in pending.lines.items()],
            "left_off": [
                (names.get(pid, ""), labels.get(ref, ref), why)
                for pid, ref, why in pending.left_off
            ],
            "sharing": selectors.sharing_for(case),
            "means": selectors.means_for_staff(user=request.user, case=case)
            if kinds.applies(case.kind, "funding")
            else [],
            "funding_applies": kinds.applies(case.kind, "funding"),
            "voucher_applies": charges.voucher_applies(case),
            "voucher_amount": charges.voucher_amount(case),
            "voucher_used": charges.voucher_used(case),
            "voucher_reference": getattr(case, "voucher_reference", None)
            if charges.voucher_applies(case)
            else None,
            "can_manage": selectors.can_manage(request.user, case),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    parties = Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id")
    current = selectors.sharing_for(case)
    initial: dict[str, Any] = {"basis": current.basis if current else "equal"}
    if current:
        initial["payer"] = current.payer_id
        for pid, pct in (current.percentages or {}).items():
            initial[f"percent_{pid}"] = pct
    form = SharingForm(posted(request), parties=parties, initial=initial)
    if form.is_valid() and submit(
        form,
        lambda: services.fee_sharing_set(
            actor=request.user,
            case=case,
            basis=form.cleaned_data["basis"],
            payer=form.cleaned_data.get("payer"),
            percentages=form.percentages(),
        ),
    ):
        messages.success(request, "How the fees are shared has been saved.")
        return redirect("fees:case", case.pk)
    return form_page(request, "fees/sharing.html", form, case=case)


@staff_required
@require_POST
def raise_invoices(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    try:
        drafts = services.invoices_raise(actor=request.user, case=case)
    except NotFoundOrHidden as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("fees:case", case.pk)
    messages.success(
        request, f"{len(drafts)} draft invoice{'s' if len(drafts) != 1 else ''} ready to check."
    )
    return redirect("fees:case", case.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def invoice_detail(request: HttpRequest, case_pk: int, invoice_pk: int) -> HttpResponse:
    """One invoice: its lines, payments and balance; a draft's note can still change."""
    case = _case(request, case_pk)
    invoice = _invoice(request, case, invoice_pk)
    form = InvoiceNoteForm(posted(request), initial={"note": invoice.note})
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.invoice_update(
                actor=request.user, invoice=invoice, note=form.cleaned_data["note"]
            ),
        )
    ):
        messages.success(request, "The draft's note has been saved.")
        return redirect("fees:invoice", case.pk, invoice.pk)
    return form_page(
        request,
        "fees/invoice.html",
        form,
        case=case,
        invoice=invoice,
        lines=list(invoice.lines.all()),
        payments=list(invoice.payments.all()),
        credit_notes=list(invoice.credit_notes.all()),
        balance=services.balance_of(invoice),
        can_manage=selectors.can_manage(request.user, case),
    )


def _post_action(
    request: HttpRequest, case: Case, invoice: Invoice, action: Any, ok: str
) -> HttpResponse:
    try:
        action()
    except NotFoundOrHidden as exc:
        raise_http(exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("fees:invoice", case.pk, invoice.pk)
    messages.success(request, ok)
    return redirect("fees:case", case.pk)


@staff_required
@require_POST
def invoice_issue(request: HttpRequest, case_pk: int, invoice_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    invoice = _invoice(request, case, invoice_pk)
    return _post_action(
        request,
        case,
        invoice,
        lambda: services.invoice_issue(actor=request.user, invoice=invoice),
        "The invoice has been issued and shared with the party in their portal.",
    )


@staff_required
@require_POST
def invoice_discard(request: HttpRequest, case_pk: int, invoice_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    invoice = _invoice(request, case, invoice_pk)
    return _post_action(
        request,
        case,
        invoice,
        lambda: services.invoice_discard(actor=request.user, invoice=invoice),
        "The draft invoice has been discarded.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def credit_note(request: HttpRequest, case_pk: int, invoice_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    invoice = _invoice(request, case, invoice_pk)
    form = CreditNoteForm(posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: services.credit_note_issue(
                actor=request.user, invoice=invoice, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, "The credit note has been issued and shared with the party.")
        return redirect("fees:invoice", case.pk, invoice.pk)
    return form_page(request, "fees/credit.html", form, case=case, invoice=invoice)


@staff_required
@require_http_methods(["GET", "POST"])
def payment(request: HttpRequest, case_pk: int, invoice_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    invoice = _invoice(request, case, invoice_pk)
    form = PaymentForm(
        posted(request),
        initial={"paid_on": timezone.localdate(), "amount": f"{services.balance_of(invoice):.2f}"},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            lambda: provider().record(actor=request.user, invoice=invoice, **form.cleaned_data),
        )
    ):
        messages.success(request, "The payment has been recorded.")
        return redirect("fees:invoice", case.pk, invoice.pk)
    return form_page(
        request,
        "fees/payment.html",
        form,
        case=case,
        invoice=invoice,
        balance=services.balance_of(invoice),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def means(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    if not kinds.applies(case.kind, "funding"):
        raise Http404("Legal aid applies to family mediation only.")
    form = MeansForm(
        posted(request),
        parties=Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"),
    )
    if form.is_valid() and submit(
        form, lambda: services.means_assessment_record(actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, "The means assessment and its evidence have been recorded.")
        return redirect("fees:case", case.pk)
    threshold = services.means_threshold_in_force(case.organisation_id, timezone.localdate())
    return form_page(request, "fees/means.html", form, case=case, threshold=threshold)


@staff_required
@require_http_methods(["GET", "POST"])
def voucher_reference(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    if not charges.voucher_applies(case):
        raise Http404("The voucher applies to child arrangements cases only.")
    current = getattr(case, "voucher_reference", None)
    form = VoucherReferenceForm(
        posted(request), initial={"fmc_reference": current.fmc_reference if current else ""}
    )
    if form.is_valid() and submit(
        form,
        lambda: services.voucher_reference_set(
            actor=request.user, case=case, fmc_reference=form.cleaned_data["fmc_reference"]
        ),
    ):
        messages.success(request, "The FMC case reference has been saved.")
        return redirect("fees:case", case.pk)
    return form_page(request, "fees/voucher.html", form, case=case)
