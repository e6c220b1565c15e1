"""The fees panels of the staff case workspace and the portal case page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.fees import selectors
from accord.fees.models import Invoice, InvoiceStatus

register = template.Library()


@register.inclusion_tag("fees/_case_panel_body.html", takes_context=True)
def case_fees(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """How many invoices, what is owed and drafts waiting, for the case's staff."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "fees") or not case_policy.can(user, "view_workspace", case):
        return {"visible": False}
    _, owed = selectors.balances_for_staff(user=user, case=case)
    invoices = Invoice.objects.filter(case=case, kind="invoice")
    return {
        "visible": True,
        "case": case,
        "owed": owed or Decimal("0.00"),
        "count": invoices.filter(status=InvoiceStatus.ISSUED).count(),
        "drafts": invoices.filter(status=InvoiceStatus.DRAFT).count(),
    }


@register.inclusion_tag("fees/_portal_panel_body.html", takes_context=True)
def portal_invoices(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The party's own issued invoices and credit notes; never another party's."""
    user = getattr(context.get("request"), "user", None)
    if not kinds.applies(case.kind, "fees"):
        return {"visible": False}
    rows = selectors.invoices_for_party(user=user, case=case)
    return {"visible": bool(rows), "rows": rows, "case": case}
