"""The fees part of the HTTP API (mounted by ``accord.api.api``).

The fee schedule: administrators and coordinators list it, administrators add to it. Invoices:
the case's staff list every invoice of the case, raise drafts, issue them and record payments; a
party lists only their own issued invoices. Amounts are strings of pounds and pence ("120.00"),
checked like the pages: more than two decimals, negative or absurd amounts are a 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, responses
from accord.cases import policy
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden
from accord.fees import selectors, services
from accord.fees.models import FeeRate
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


class InvoiceOut(Schema):
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
    id: int
    invoice_id: int
    paid_on: dt.date
    amount: str
    method: str
    reference: str


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
    return Status(
        201,
        PaymentOut(
            id=payment.pk,
            invoice_id=invoice.pk,
            paid_on=payment.paid_on,
            amount=f"{payment.amount:.2f}",
            method=payment.method,
            reference=payment.reference,
        ),
    )
