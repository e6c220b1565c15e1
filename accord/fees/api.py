"""The fees part of the HTTP API (mounted by ``accord.api.api``).

The fee schedule, the legal aid thresholds and the exports: administrators and coordinators
read them, administrators add to and end them. A case's fees: its staff read the balances,
sharing, legal aid means assessments, the voucher and every invoice; those who may change the
case set the sharing, the means assessments and the voucher's FMC reference, raise, correct,
discard and issue drafts, issue credit notes and record payments. A party lists only their own
issued invoices. Every operation calls the same service (and policy) as the fees pages.

Amounts are strings of pounds and pence ("120.00"), checked like the pages: more than two
decimals, negative or absurd amounts are a 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import kinds, policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.fees import charges, reports, selectors, services
from accord.fees.models import FeeRate, Invoice, MeansAssessment, MeansThreshold, Payment
from accord.fees.providers import provider
from accord.organisations.selectors import staff_organisation_for

router = Router(tags=["fees"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Money = Annotated[str, Field(max_length=20, description='Pounds and pence, e.g. "120.00".')]


class FeeRateIn(InputSchema):
    """A dated fee for one kind of case and one item."""

    model_config = ConfigDict(extra="forbid")

    case_kind: str
    item: str = Field(..., description="miam, session_hour, session, document or cancellation.")
    amount: Money
    vat_applies: bool = False
    effective_from: dt.date
    effective_to: dt.date | None = None


class FeeRateOut(Schema):
    """A dated fee of the schedule."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 14,
                    "case_kind": "family_children",
                    "item": "session_hour",
                    "amount": "120.00",
                    "vat_applies": True,
                    "effective_from": "2026-04-01",
                    "effective_to": "2027-03-31",
                }
            ]
        }
    )

    id: int
    case_kind: str
    item: str
    amount: str
    vat_applies: bool
    effective_from: dt.date
    effective_to: dt.date | None


class InvoiceLineOut(Schema):
    kind: str
    label: str
    net: str
    vat: str
    gross: str


_INVOICE_EXAMPLE: dict[str, Any] = {
    "id": 31,
    "number": "INV-00007",
    "kind": "invoice",
    "status": "issued",
    "participant_id": 12,
    "net": "240.00",
    "vat": "48.00",
    "total": "288.00",
    "balance": "144.00",
    "due_on": "2027-01-06",
    "credits_id": None,
    "lines": [
        {
            "kind": "session",
            "label": "Session 2 on 2 December 2026 (2 h)",
            "net": "120.00",
            "vat": "24.00",
            "gross": "144.00",
        }
    ],
}


class InvoiceOut(Schema):
    """An invoice or credit note (a credit note's amounts are negative; `credits_id` is the
    invoice it corrects). A draft has no number yet."""

    model_config = ConfigDict(json_schema_extra={"examples": [_INVOICE_EXAMPLE]})

    id: int
    number: str
    kind: str
    status: str
    participant_id: int
    net: str
    vat: str
    total: str
    balance: str
    due_on: dt.date | None
    credits_id: int | None = Field(None, description="Credit notes: the invoice corrected.")
    lines: list[InvoiceLineOut]


class PaymentIn(InputSchema):
    """A payment received against an issued invoice."""

    model_config = ConfigDict(extra="forbid")

    paid_on: dt.date
    amount: Money
    method: str = Field(..., description="bank_transfer, card, cash, cheque or other.")
    reference: str = ""
    confirm_overpayment: bool = False


class PaymentOut(Schema):
    """A payment received against an issued invoice."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 9,
                    "invoice_id": 31,
                    "paid_on": "2026-12-10",
                    "amount": "144.00",
                    "method": "bank_transfer",
                    "reference": "BACS 20261210",
                }
            ]
        }
    )

    id: int
    invoice_id: int
    paid_on: dt.date
    amount: str
    method: str
    reference: str


def _payment(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.pk,
        invoice_id=payment.invoice_id,
        paid_on=payment.paid_on,
        amount=f"{payment.amount:.2f}",
        method=payment.method,
        reference=payment.reference,
    )


def _rate(rate: FeeRate) -> FeeRateOut:
    return FeeRateOut(
        id=rate.pk,
        case_kind=rate.case_kind,
        item=rate.item,
        amount=f"{rate.amount:.2f}",
        vat_applies=rate.vat_applies,
        effective_from=rate.effective_from,
        effective_to=rate.effective_to,
    )


def _invoice(invoice: Any) -> InvoiceOut:
    return InvoiceOut(
        id=invoice.pk,
        number=invoice.display_number(),
        kind=invoice.kind,
        status=invoice.status,
        participant_id=invoice.participant_id,
        net=f"{invoice.net:.2f}",
        vat=f"{invoice.vat:.2f}",
        total=f"{invoice.total:.2f}",
        balance=f"{services.balance_of(invoice):.2f}",
        due_on=invoice.due_on,
        credits_id=invoice.credits_id,
        lines=[
            InvoiceLineOut(
                kind=line.kind,
                label=line.label,
                net=f"{line.net:.2f}",
                vat=f"{line.vat:.2f}",
                gross=f"{line.gross:.2f}",
            )
            for line in invoice.lines.all()
        ],
    )


def _organisation(user: Any) -> Any:
    organisation = staff_organisation_for(user)
    if organisation is None or not selectors.can_run_reports(user, organisation.pk):
        raise NotFoundOrHidden("No such fee schedule.")
    return organisation


@router.get(
    "/fees/schedule",
    response=responses(200, list[FeeRateOut], 404),
    summary="List the service's fee schedule",
)
def schedule_list(request: HttpRequest) -> list[FeeRateOut]:
    """Administrators and coordinators of the service."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _organisation(user)
    return [_rate(r) for r in selectors.rates_for(user=user, organisation=organisation)]


@router.post(
    "/fees/schedule",
    response=responses(201, FeeRateOut, 403, 404, 422),
    summary="Add a fee to the schedule (administrators)",
)
def schedule_add(request: HttpRequest, payload: FeeRateIn) -> Any:
    """Overlapping periods of the same fee are refused (422)."""
    user = request.auth  # type: ignore[attr-defined]
    rate = services.fee_rate_add(
        actor=user, organisation=_organisation(user), **payload.model_dump()
    )
    return Status(201, _rate(rate))


@router.get(
    "/cases/{case_id}/invoices",
    response=responses(200, list[InvoiceOut], 404),
    summary="List a case's invoices",
)
def invoices_list(request: HttpRequest, case_id: ObjectId) -> list[InvoiceOut]:
    """Staff see every invoice of the case; a party only their own issued ones."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    if policy.can(user, "view_workspace", case):
        rows = selectors.invoices_for_staff(user=user, case=case)
    else:
        rows = selectors.invoices_for_party(user=user, case=case)
    return [_invoice(row.invoice) for row in rows]


@router.post(
    "/cases/{case_id}/invoices",
    response=responses(201, list[InvoiceOut], 403, 404, 422),
    summary="Raise draft invoices for what is not yet invoiced",
)
def invoices_raise(request: HttpRequest, case_id: ObjectId) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    return Status(201, [_invoice(i) for i in services.invoices_raise(actor=user, case=case)])


@router.post(
    "/cases/{case_id}/invoices/{invoice_id}/issue",
    response=responses(200, InvoiceOut, 403, 404, 422),
    summary="Issue a draft invoice",
)
def invoice_issue(request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId) -> InvoiceOut:
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    invoice = selectors.invoice_get_for_staff(user=user, case=case, invoice_id=invoice_id)
    return _invoice(services.invoice_issue(actor=user, invoice=invoice))


@router.post(
    "/cases/{case_id}/invoices/{invoice_id}/payments",
    response=responses(201, PaymentOut, 403, 404, 422),
    summary="Record a payment against an issued invoice",
)
def payment_record(
    request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId, payload: PaymentIn
) -> Any:
    """More than the balance needs `confirm_overpayment`."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id, action="view_workspace")
    invoice = selectors.invoice_get_for_staff(user=user, case=case, invoice_id=invoice_id)
    payment = provider().record(actor=user, invoice=invoice, **payload.model_dump())
    return Status(201, _payment(payment))


# Shared helpers of the operations below ------------------------------------------------------

_PERCENT_FIELD = re.compile(r"percent_(\d+)")


@contextmanager
def _api_field_names(renamed: dict[str, str]) -> Iterator[None]:
    """The services name some fields as the pages do (`payer`, `participant`, `percent_12`);
    a refusal names them as this API does (`payer_id`, `participant_id`, `percentages.12`)."""
    try:
        yield
    except ValidationFailed as exc:
        exc.field_errors = {
            renamed.get(name, _PERCENT_FIELD.sub(r"percentages.\1", name)): messages
            for name, messages in exc.field_errors.items()
        }
        raise


def _staff_case(user: Any, case_id: int) -> Case:
    """The case, for its staff (`view_workspace`), as the fees pages; else 404."""
    return case_get_for(user=user, case_id=case_id, action="view_workspace")


def _staff_invoice(user: Any, case_id: int, invoice_id: int) -> tuple[Case, Invoice]:
    case = _staff_case(user, case_id)
    return case, selectors.invoice_get_for_staff(user=user, case=case, invoice_id=invoice_id)


def _pounds(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


# The schedule: ending a fee -----------------------------------------------------------------


class FeeRateEndIn(InputSchema):
    """The last day of a fee, so that a new fee can follow it."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"effective_to": "2027-03-31"}]}
    )

    effective_to: dt.date = Field(..., description="On or after the fee's first day.")


@router.post(
    "/fees/schedule/{rate_id}/end",
    response=responses(200, FeeRateOut, 403, 404, 422),
    summary="Give a fee of the schedule its last day (administrators)",
)
def schedule_end(request: HttpRequest, rate_id: ObjectId, payload: FeeRateEndIn) -> FeeRateOut:
    """A fee of the caller's service; coordinators may read it but not end it (403)."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _organisation(user)
    rate = FeeRate.objects.filter(organisation=organisation, pk=rate_id).first()
    if rate is None:
        raise NotFoundOrHidden("No such fee.")
    return _rate(services.fee_rate_end(actor=user, rate=rate, effective_to=payload.effective_to))


# Legal aid means thresholds -----------------------------------------------------------------


class MeansThresholdIn(InputSchema):
    """The service's own legal aid means thresholds from a date (checked against the LAA's
    guidance); they win over the national figures from that date."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "effective_from": "2027-04-01",
                    "gross_monthly_income": "2657.00",
                    "children_included": 4,
                    "per_extra_child": "222.00",
                    "disposable_monthly_income": "733.00",
                    "disposable_capital": "8000.00",
                    "source": "LAA guidance of 1 April 2027, checked by the service.",
                }
            ]
        },
    )

    effective_from: dt.date
    gross_monthly_income: Money
    children_included: int = Field(
        4, description="Children allowed for in the income limit, 0 to 20."
    )
    per_extra_child: Money
    disposable_monthly_income: Money
    disposable_capital: Money
    source: str = Field(..., max_length=300, description="Where the figures come from.")


class MeansThresholdOut(Schema):
    """A dated set of legal aid means thresholds: national (`national`) or the service's own."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "national": False,
                    "effective_from": "2027-04-01",
                    "gross_monthly_income": "2657.00",
                    "children_included": 4,
                    "per_extra_child": "222.00",
                    "disposable_monthly_income": "733.00",
                    "disposable_capital": "8000.00",
                    "source": "LAA guidance of 1 April 2027, checked by the service.",
                    "confirmed": True,
                    "in_force": True,
                }
            ]
        }
    )

    id: int
    national: bool
    effective_from: dt.date
    gross_monthly_income: str
    children_included: int
    per_extra_child: str
    disposable_monthly_income: str
    disposable_capital: str
    source: str
    confirmed: bool = Field(description="Whether the figures have been checked (DOMAIN.md).")
    in_force: bool = Field(description="The row the means test uses today.")


def _threshold(row: MeansThreshold, in_force: MeansThreshold | None) -> MeansThresholdOut:
    return MeansThresholdOut(
        id=row.pk,
        national=row.organisation_id is None,
        effective_from=row.effective_from,
        gross_monthly_income=f"{row.gross_monthly_income:.2f}",
        children_included=row.children_included,
        per_extra_child=f"{row.per_extra_child:.2f}",
        disposable_monthly_income=f"{row.disposable_monthly_income:.2f}",
        disposable_capital=f"{row.disposable_capital:.2f}",
        source=row.source,
        confirmed=row.confirmed,
        in_force=in_force is not None and in_force.pk == row.pk,
    )


@router.get(
    "/fees/legal-aid-thresholds",
    response=responses(200, list[MeansThresholdOut], 404),
    summary="List the legal aid means thresholds (national and the service's own)",
)
def thresholds_list(request: HttpRequest) -> list[MeansThresholdOut]:
    """Administrators and coordinators; newest first, the row in force today marked."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _organisation(user)
    in_force = services.means_threshold_in_force(organisation.pk, timezone.localdate())
    return [
        _threshold(row, in_force)
        for row in selectors.means_thresholds_for(user=user, organisation=organisation)
    ]


@router.post(
    "/fees/legal-aid-thresholds",
    response=responses(201, MeansThresholdOut, 403, 404, 422),
    summary="Add the service's own legal aid thresholds from a date (administrators)",
)
def thresholds_add(request: HttpRequest, payload: MeansThresholdIn) -> Any:
    """One row per date; a second row from the same date is refused (422)."""
    user = request.auth  # type: ignore[attr-defined]
    organisation = _organisation(user)
    row = services.means_threshold_add(
        actor=user, organisation=organisation, **payload.model_dump()
    )
    in_force = services.means_threshold_in_force(organisation.pk, timezone.localdate())
    return Status(201, _threshold(row, in_force))


# The exports (CSV, as the reports page downloads them) --------------------------------------


class ReportPeriodQuery(InputSchema):
    """The days an export covers (both included)."""

    start: dt.date | None = Field(None, description="First day; the 1st of this month if omitted.")
    end: dt.date | None = Field(None, description="Last day; today if omitted.")


class ReportMonthQuery(InputSchema):
    """The month of a legal aid claim."""

    month: str = Field(
        "", max_length=7, description="YYYY-MM; this month if omitted.", examples=["2026-11"]
    )


def _period(query: ReportPeriodQuery) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start, end = query.start or today.replace(day=1), query.end or today
    if end < start:
        raise ValidationFailed(
            "The export could not be produced.",
            field_errors={"end": ["The last day must be on or after the first day."]},
        )
    return start, end


def _month(query: ReportMonthQuery) -> tuple[int, int]:
    today = timezone.localdate()
    if not query.month:
        return today.year, today.month
    found = re.fullmatch(r"(\d{4})-(\d{2})", query.month)
    if found is None or not (1900 <= int(found[1]) <= today.year + 10 and 1 <= int(found[2]) <= 12):
        raise ValidationFailed(
            "The export could not be produced.",
            field_errors={"month": ["Enter a month as YYYY-MM, such as 2026-11."]},
        )
    return int(found[1]), int(found[2])


def _csv(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_documented(example: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": "A CSV file (UTF-8) with a header row, as the reports page "
                "downloads it.",
                "content": {"text/csv": {"schema": {"type": "string"}, "example": example}},
            }
        }
    }


@router.get(
    "/fees/reports/payments",
    response=responses(200, None, 404, 422),
    summary="Export the payments received in a period (CSV, for bookkeeping)",
    openapi_extra=_csv_documented(
        "paid_on,invoice,case,party,amount,method,reference,provider\r\n"
        "2026-12-10,INV-00007,ACC-2026-0005,Bob Jones,144.00,bank_transfer,BACS 1210,manual\r\n"
    ),
)
def report_payments(request: HttpRequest, query: Query[ReportPeriodQuery]) -> HttpResponse:
    """Administrators and coordinators."""
    organisation = _organisation(request.auth)  # type: ignore[attr-defined]
    start, end = _period(query)
    return _csv(reports.payments_csv(organisation, start, end), f"payments-{start}-{end}.csv")


@router.get(
    "/fees/reports/invoices",
    response=responses(200, None, 404, 422),
    summary="Export the invoices and credit notes issued in a period (CSV, for bookkeeping)",
    openapi_extra=_csv_documented(
        "number,kind,issued_on,due_on,case,party,net,vat,total,credits,balance\r\n"
        "INV-00007,invoice,2026-12-07,2027-01-06,ACC-2026-0005,Bob Jones,240.00,48.00,288.00,,"
        "144.00\r\n"
    ),
)
def report_invoices(request: HttpRequest, query: Query[ReportPeriodQuery]) -> HttpResponse:
    """Administrators and coordinators."""
    organisation = _organisation(request.auth)  # type: ignore[attr-defined]
    start, end = _period(query)
    return _csv(reports.invoices_csv(organisation, start, end), f"invoices-{start}-{end}.csv")


@router.get(
    "/fees/reports/legal-aid-claims",
    response=responses(200, None, 404, 422),
    summary="Export a month's legal aid claim (CSV)",
    openapi_extra=_csv_documented(
        "case,item,date,party,basis,evidence\r\n"
        "ACC-2026-0005,MIAM,2026-11-16,Alice Smith,legal aid,"
        "Passported on a qualifying benefit: Universal Credit statement seen.\r\n"
    ),
)
def report_claims(request: HttpRequest, query: Query[ReportMonthQuery]) -> HttpResponse:
    """Administrators and coordinators: the work of the month that legal aid pays for."""
    organisation = _organisation(request.auth)  # type: ignore[attr-defined]
    year, month = _month(query)
    return _csv(
        reports.claims_csv(organisation, year, month), f"legal-aid-claims-{year}-{month:02d}.csv"
    )


@router.get(
    "/fees/reports/voucher-claims",
    response=responses(200, None, 404),
    summary="Export the voucher claims with each voucher's FMC case reference (CSV)",
    openapi_extra=_csv_documented(
        "case,fmc_case_reference,voucher_amount,claimable_so_far\r\n"
        "ACC-2026-0005,FMC-77,500.00,100.00\r\n"
    ),
)
def report_vouchers(request: HttpRequest) -> HttpResponse:
    """Administrators and coordinators."""
    organisation = _organisation(request.auth)  # type: ignore[attr-defined]
    return _csv(reports.voucher_csv(organisation), "voucher-claims.csv")


# A case's fees: sharing, the voucher, legal aid means, the summary ---------------------------


class SharingIn(InputSchema):
    """How the fees for sessions and documents are shared between the parties."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"basis": "equal"},
                {"basis": "percentages", "percentages": {"12": "60", "13": "40"}},
                {"basis": "one_pays", "payer_id": 12},
            ]
        },
    )

    basis: str = Field(..., description="equal, percentages or one_pays.")
    payer_id: ObjectId | None = Field(None, description="one_pays: the party who pays all.")
    percentages: dict[ObjectId, Annotated[str, Field(max_length=10)]] = Field(
        default_factory=dict,
        description="percentages: each party's id and percentage; they must add up to 100.",
    )


class SharingOut(Schema):
    """How the case's fees are shared (`saved` false: nothing chosen yet, so equally)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "basis": "percentages",
                    "payer_id": None,
                    "percentages": {"12": "60.00", "13": "40.00"},
                    "saved": True,
                }
            ]
        }
    )

    basis: str
    payer_id: int | None
    percentages: dict[str, str]
    saved: bool


def _sharing(case: Case) -> SharingOut:
    row = selectors.sharing_for(case)
    if row is None:
        return SharingOut(basis="equal", payer_id=None, percentages={}, saved=False)
    return SharingOut(
        basis=row.basis,
        payer_id=row.payer_id,
        percentages={str(k): str(v) for k, v in (row.percentages or {}).items()},
        saved=True,
    )


@router.put(
    "/cases/{case_id}/fees/sharing",
    response=responses(200, SharingOut, 403, 404, 422),
    summary="Set how the case's fees are shared between the parties",
)
def sharing_set(request: HttpRequest, case_id: ObjectId, payload: SharingIn) -> SharingOut:
    """Those who may change the case. Drafts raised afterwards follow the new sharing."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    payer = (
        Participant.objects.filter(case=case, role__in=PARTY_ROLES, pk=payload.payer_id).first()
        if payload.payer_id is not None
        else None
    )
    if payload.payer_id is not None and payer is None:
        raise ValidationFailed(
            "The sharing could not be saved.",
            field_errors={"payer_id": ["Choose a party of this case."]},
        )
    with _api_field_names({"payer": "payer_id"}):
        services.fee_sharing_set(
            actor=user,
            case=case,
            basis=payload.basis,
            payer=payer,
            percentages=dict(payload.percentages),
        )
    return _sharing(case)


class VoucherReferenceIn(InputSchema):
    """The FMC's case reference of the case's Family Mediation Voucher, for the claim."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"fmc_reference": "FMC-2026-004512"}]}
    )

    fmc_reference: str = Field(..., max_length=40)


class VoucherOut(Schema):
    """The case's voucher: its FMC case reference, amount and what is claimable so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fmc_reference": "FMC-2026-004512",
                    "voucher_amount": "500.00",
                    "claimable_so_far": "144.00",
                }
            ]
        }
    )

    fmc_reference: str = Field(description="Empty until recorded.")
    voucher_amount: str
    claimable_so_far: str


def _voucher(case: Case) -> VoucherOut:
    ref = getattr(case, "voucher_reference", None)
    return VoucherOut(
        fmc_reference=ref.fmc_reference if ref else "",
        voucher_amount=f"{charges.voucher_amount(case):.2f}",
        claimable_so_far=f"{charges.voucher_used(case):.2f}",
    )


@router.put(
    "/cases/{case_id}/fees/voucher",
    response=responses(200, VoucherOut, 403, 404, 422),
    summary="Record the FMC case reference of the case's voucher",
)
def voucher_set(request: HttpRequest, case_id: ObjectId, payload: VoucherReferenceIn) -> Any:
    """Child arrangements cases only (another kind: 422)."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    services.voucher_reference_set(actor=user, case=case, fmc_reference=payload.fmc_reference)
    return _voucher(Case.objects.get(pk=case.pk))


class MeansAssessmentIn(InputSchema):
    """A party's legal aid means assessment and the evidence seen (family mediation). The
    result is worked out against the thresholds in force on `assessed_on`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": 12,
                    "evidence": "passported",
                    "benefit": "universal_credit",
                    "assessed_on": "2026-12-01",
                    "evidence_note": "Universal Credit statement dated 1 November 2026.",
                    "disposable_capital": "500.00",
                },
                {
                    "participant_id": 13,
                    "evidence": "means_assessment",
                    "assessed_on": "2026-12-01",
                    "evidence_note": "CIVMEANS7 with three months of bank statements.",
                    "disposable_capital": "1200.00",
                    "gross_monthly_income": "1850.00",
                    "disposable_monthly_income": "410.00",
                    "dependent_children": 2,
                },
            ]
        },
    )

    participant_id: ObjectId = Field(..., description="A party of the case.")
    evidence: str = Field(..., description="passported or means_assessment.")
    benefit: str = Field(
        "",
        description="Passported only: universal_credit, jsa_ib, esa_ir, income_support or "
        "pension_credit.",
    )
    assessed_on: dt.date = Field(..., description="Not in the future.")
    evidence_note: str = Field(..., max_length=300, description="What evidence was seen.")
    disposable_capital: Money
    gross_monthly_income: Money | None = Field(None, description="Means assessment only.")
    disposable_monthly_income: Money | None = Field(None, description="Means assessment only.")
    dependent_children: int = Field(0, description="0 to 30.")


class MeansAssessmentOut(Schema):
    """A party's legal aid means assessment, its result and the test line by line."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "participant_id": 12,
                    "evidence": "passported",
                    "benefit": "universal_credit",
                    "eligible": True,
                    "assessed_on": "2026-12-01",
                    "evidence_note": "Universal Credit statement dated 1 November 2026.",
                    "gross_monthly_income": None,
                    "disposable_monthly_income": None,
                    "disposable_capital": "500.00",
                    "dependent_children": 0,
                    "threshold_id": 1,
                    "reasons": [
                        "Passported on a qualifying benefit: income is not tested",
                        "Disposable capital £500.00 is within the £8,000.00 limit",
                    ],
                }
            ]
        }
    )

    id: int
    participant_id: int
    evidence: str
    benefit: str
    eligible: bool
    assessed_on: dt.date
    evidence_note: str
    gross_monthly_income: str | None
    disposable_monthly_income: str | None
    disposable_capital: str | None
    dependent_children: int
    threshold_id: int | None
    reasons: list[str]


def _means(row: MeansAssessment) -> MeansAssessmentOut:
    return MeansAssessmentOut(
        id=row.pk,
        participant_id=row.participant_id,
        evidence=row.evidence,
        benefit=row.benefit,
        eligible=row.eligible,
        assessed_on=row.assessed_on,
        evidence_note=row.evidence_note,
        gross_monthly_income=_pounds(row.gross_monthly_income),
        disposable_monthly_income=_pounds(row.disposable_monthly_income),
        disposable_capital=_pounds(row.disposable_capital),
        dependent_children=row.dependent_children,
        threshold_id=row.threshold_id,
        reasons=[str(r) for r in row.reasons or []],
    )


@router.get(
    "/cases/{case_id}/fees/means",
    response=responses(200, list[MeansAssessmentOut], 404),
    summary="List the legal aid means assessments of a case's parties",
)
def means_list(request: HttpRequest, case_id: ObjectId) -> list[MeansAssessmentOut]:
    """The case's staff; empty for kinds of case where legal aid does not apply."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    if not kinds.applies(case.kind, "funding"):
        return []
    return [_means(row) for row in selectors.means_for_staff(user=user, case=case)]


@router.post(
    "/cases/{case_id}/fees/means",
    response=responses(200, MeansAssessmentOut, 403, 404, 422),
    summary="Record a party's legal aid means assessment and evidence",
)
def means_record(request: HttpRequest, case_id: ObjectId, payload: MeansAssessmentIn) -> Any:
    """Those who may change the case; family mediation only. A second assessment of the same
    party replaces the first; the party's funding follows the result."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    data = payload.model_dump()
    participant = Participant.objects.filter(
        case=case, role__in=PARTY_ROLES, pk=data.pop("participant_id")
    ).first()
    if participant is None:
        raise ValidationFailed(
            "The assessment could not be recorded.",
            field_errors={"participant_id": ["Choose a party of this case."]},
        )
    with _api_field_names({"participant": "participant_id"}):
        row = services.means_assessment_record(actor=user, participant=participant, **data)
    return _means(row)


class PartyBalanceOut(Schema):
    participant_id: int
    invoiced: str
    credited: str = Field(description="Credit notes issued (negative).")
    paid: str
    owed: str


class NotInvoicedOut(Schema):
    """What a party would be invoiced if drafts were raised now."""

    participant_id: int
    lines: list[InvoiceLineOut]


class LeftOffOut(Schema):
    """Work held that no invoice will carry, and why (legal aid, free, no fee in the schedule)."""

    participant_id: int
    item: str
    reason: str


class CaseFeesOut(Schema):
    """A case's fees at a glance, as the case's fees page shows them to its staff."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "balances": [
                        {
                            "participant_id": 13,
                            "invoiced": "288.00",
                            "credited": "0.00",
                            "paid": "144.00",
                            "owed": "144.00",
                        }
                    ],
                    "owed": "144.00",
                    "not_invoiced": [],
                    "left_off": [{"participant_id": 12, "item": "MIAM", "reason": "legal aid"}],
                    "sharing": {
                        "basis": "equal",
                        "payer_id": None,
                        "percentages": {},
                        "saved": False,
                    },
                    "legal_aid_applies": True,
                    "voucher": None,
                    "can_manage": True,
                }
            ]
        }
    )

    balances: list[PartyBalanceOut]
    owed: str
    not_invoiced: list[NotInvoicedOut]
    left_off: list[LeftOffOut]
    sharing: SharingOut
    legal_aid_applies: bool
    voucher: VoucherOut | None = Field(description="Child arrangements cases only.")
    can_manage: bool = Field(description="Whether the caller may change the case's fees.")


@router.get(
    "/cases/{case_id}/fees",
    response=responses(200, CaseFeesOut, 404),
    summary="A case's fees: balances, what is not yet invoiced, sharing and the voucher",
)
def case_fees(request: HttpRequest, case_id: ObjectId) -> CaseFeesOut:
    """The case's staff."""
    user = request.auth  # type: ignore[attr-defined]
    case = _staff_case(user, case_id)
    balances, owed = selectors.balances_for_staff(user=user, case=case)
    pending = charges.uninvoiced(case)
    labels = {event.ref: event.label for event in charges.events(case)}
    return CaseFeesOut(
        balances=[
            PartyBalanceOut(
                participant_id=b.participant.pk,
                invoiced=f"{b.invoiced:.2f}",
                credited=f"{b.credited:.2f}",
                paid=f"{b.paid:.2f}",
                owed=f"{b.owed:.2f}",
            )
            for b in balances
        ],
        owed=f"{owed:.2f}",
        not_invoiced=[
            NotInvoicedOut(
                participant_id=pid,
                lines=[
                    InvoiceLineOut(
                        kind=line.kind,
                        label=line.label,
                        net=f"{line.net:.2f}",
                        vat=f"{line.vat:.2f}",
                        gross=f"{line.gross:.2f}",
                    )
                    for line in lines
                ],
            )
            for pid, lines in pending.lines.items()
        ],
        left_off=[
            LeftOffOut(participant_id=pid, item=labels.get(ref, ref), reason=why)
            for pid, ref, why in pending.left_off
        ],
        sharing=_sharing(case),
        legal_aid_applies=kinds.applies(case.kind, "funding"),
        voucher=_voucher(case) if charges.voucher_applies(case) else None,
        can_manage=selectors.can_manage(user, case),
    )


# One invoice: detail, note, discard, credit note, payments ----------------------------------


class InvoiceDetailOut(InvoiceOut):
    """One invoice with its note, payments and credit notes, for the case's staff."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_INVOICE_EXAMPLE,
                    "note": "Payable by bank transfer to the account on the invoice.",
                    "issued_at": "2026-12-07T10:15:00Z",
                    "document_version_id": 88,
                    "payments": [
                        {
                            "id": 9,
                            "invoice_id": 31,
                            "paid_on": "2026-12-10",
                            "amount": "144.00",
                            "method": "bank_transfer",
                            "reference": "BACS 20261210",
                        }
                    ],
                    "credit_note_ids": [],
                }
            ]
        }
    )

    note: str
    issued_at: dt.datetime | None
    document_version_id: int | None = Field(description="The PDF shared with the party.")
    payments: list[PaymentOut]
    credit_note_ids: list[int]


def _invoice_detail(invoice: Invoice) -> InvoiceDetailOut:
    invoice = Invoice.objects.get(pk=invoice.pk)
    return InvoiceDetailOut(
        **_invoice(invoice).model_dump(),
        note=invoice.note,
        issued_at=invoice.issued_at,
        document_version_id=invoice.document_version_id,
        payments=[_payment(p) for p in invoice.payments.order_by("paid_on", "id")],
        credit_note_ids=list(invoice.credit_notes.order_by("id").values_list("pk", flat=True)),
    )


@router.get(
    "/cases/{case_id}/invoices/{invoice_id}",
    response=responses(200, InvoiceDetailOut, 404),
    summary="One invoice or credit note, with its payments",
)
def invoice_detail(request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId) -> Any:
    """The case's staff; a party reads their issued invoices from the list."""
    user = request.auth  # type: ignore[attr-defined]
    _case, invoice = _staff_invoice(user, case_id, invoice_id)
    return _invoice_detail(invoice)


class InvoiceNoteIn(InputSchema):
    """The note to the party on a draft invoice."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"note": "Payable by bank transfer to the account on the invoice."}]
        },
    )

    note: MultilineText = Field("", max_length=500)


@router.patch(
    "/cases/{case_id}/invoices/{invoice_id}",
    response=responses(200, InvoiceDetailOut, 403, 404, 422),
    summary="Change a draft invoice's note to the party",
)
def invoice_note(
    request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId, payload: InvoiceNoteIn
) -> Any:
    """Drafts only: an issued invoice is corrected by a credit note (422)."""
    user = request.auth  # type: ignore[attr-defined]
    _case, invoice = _staff_invoice(user, case_id, invoice_id)
    return _invoice_detail(services.invoice_update(actor=user, invoice=invoice, note=payload.note))


class InvoiceDiscardedOut(Schema):
    """A draft invoice thrown away."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 31, "discarded": True}]})

    id: int
    discarded: bool


@router.post(
    "/cases/{case_id}/invoices/{invoice_id}/discard",
    response=responses(200, InvoiceDiscardedOut, 403, 404, 422),
    summary="Discard a draft invoice",
)
def invoice_discard(request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId) -> Any:
    """Drafts only: an issued invoice is never deleted, it is cancelled by a credit note (422).
    Its work can be invoiced again."""
    user = request.auth  # type: ignore[attr-defined]
    _case, invoice = _staff_invoice(user, case_id, invoice_id)
    pk = invoice.pk
    services.invoice_discard(actor=user, invoice=invoice)
    return InvoiceDiscardedOut(id=pk, discarded=True)


class CreditNoteIn(InputSchema):
    """A credit note correcting some or all of an issued invoice."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"amount": "144.00", "reason": "Session 2 was an hour shorter."}]
        },
    )

    amount: Money = Field(..., description="At most what is left of the invoice.")
    reason: str = Field(..., max_length=300, description="Why the invoice is being corrected.")


@router.post(
    "/cases/{case_id}/invoices/{invoice_id}/credit-notes",
    response=responses(201, InvoiceOut, 403, 404, 422),
    summary="Issue a credit note against an issued invoice",
)
def credit_note_issue(
    request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId, payload: CreditNoteIn
) -> Any:
    """Numbered in the service's sequence and shared with the party as a PDF."""
    user = request.auth  # type: ignore[attr-defined]
    _case, invoice = _staff_invoice(user, case_id, invoice_id)
    note = services.credit_note_issue(actor=user, invoice=invoice, **payload.model_dump())
    return Status(201, _invoice(note))


@router.get(
    "/cases/{case_id}/invoices/{invoice_id}/payments",
    response=responses(200, list[PaymentOut], 404),
    summary="List the payments received against an invoice",
)
def payments_list(request: HttpRequest, case_id: ObjectId, invoice_id: ObjectId) -> Any:
    """The case's staff; oldest first."""
    user = request.auth  # type: ignore[attr-defined]
    _case, invoice = _staff_invoice(user, case_id, invoice_id)
    return [_payment(p) for p in invoice.payments.order_by("paid_on", "id")]
