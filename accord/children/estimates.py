"""Child maintenance estimates of a case: fed by the income and the agreed schedule.

The income is the paying parent's gross weekly income: from the financial disclosure where
there is one (`disclosure_income`, the hook for accord.finance), else typed by the mediator. The
nights are those the agreed schedule gives the paying parent over the next 12 months. The figure
is an estimate under the 2012 scheme, never the Child Maintenance Service's decision.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.children import calc, schedules
from accord.children.models import CaseChild, MaintenanceEstimate
from accord.core.errors import NotFoundOrHidden, ValidationFailed

MAX_INCOME = Decimal("100000.00")


def disclosure_income(*, actor: Any, case: Case, participant: Participant) -> Any:
    """The parent's gross weekly income from their financial disclosure, or None.

    `accord.finance.selectors.gross_weekly_income` (case staff only): the income items' figures
    before tax a year, divided by 52 and rounded to the penny, with the items behind it
    (`.sources`: description, valuation date) and those without a figure before tax (`.missing`).
    None where the case has no disclosure part or no income item with a figure before tax.
    """
    from accord.cases.progress import part_applies
    from accord.finance import selectors as finance_selectors

    if not part_applies(case, "disclosure"):
        return None
    try:
        return finance_selectors.gross_weekly_income(case, participant, user=actor)
    except NotFoundOrHidden:
        return None


def income_sources(found: Any) -> list[dict[str, str]]:
    """The disclosure items behind an income, as plain data to keep with the estimate."""
    return [
        {
            "item_id": str(source.item_id),
            "description": source.description,
            "gross_yearly": f"{Decimal(source.gross_yearly_pence) / 100:.2f}",
            "valuation_date": source.valuation_date.isoformat(),
        }
        for source in found.sources
    ]


def parse_income(text: Any) -> Decimal:
    """ "650", "£1,234.50" -> Decimal; refuses negatives, more than two decimals and words."""
    if isinstance(text, Decimal):
        raw = format(text, "f")
    else:
        raw = str(text or "").strip().replace(",", "").replace("£", "").replace(" ", "")
    if not raw:
        raise ValueError("Enter the gross weekly income, for example 650.00.")
    if raw.startswith("-"):
        raise ValueError("The income cannot be below zero.")
    if not re.fullmatch(r"\d+(\.\d+)?", raw):
        raise ValueError("Enter the income in pounds and pence, for example 650.00.")
    if "." in raw and len(raw.split(".")[1]) > 2:
        raise ValueError("Enter the income with at most two decimals (pence).")
    try:
        value = Decimal(raw).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError("Enter the income in pounds and pence, for example 650.00.") from None
    if value >= MAX_INCOME:
        raise ValueError("Enter a weekly income under £100,000.")
    return value


@transaction.atomic
def estimate_make(
    *,
    actor: Any,
    case: Case,
    paying_parent: Participant | None,
    gross_weekly_income: Any,
    qualifying_children: Any,
    other_children: Any = 0,
) -> MaintenanceEstimate:
    """Work out and keep an estimate; the nights come from the agreed schedule, if any."""
    from accord.cases.services import case_locked_for

    case = case_locked_for(
        actor=actor,
        case=case,
        action="change",
        refusal="Only the case team can make a maintenance estimate.",
    )
    ensure_part_applies(case, "maintenance")
    errors: dict[str, list[str]] = {}
    if (
        paying_parent is None
        or paying_parent.case_id != case.pk
        or paying_parent.role not in PARTY_ROLES
    ):
        errors["paying_parent"] = ["Choose the paying parent, a party of this case."]
    source = "typed"
    income = Decimal("0")
    disclosed = (
        disclosure_income(actor=actor, case=case, participant=paying_parent)
        if paying_parent is not None and "paying_parent" not in errors
        else None
    )
    if gross_weekly_income in (None, "") and disclosed is not None:
        income, source = disclosed.weekly, "disclosure"
    elif gross_weekly_income in (None, "") and "paying_parent" not in errors:
        errors["gross_weekly_income"] = [
            "Enter the gross weekly income: the financial disclosure gives no income before "
            "tax for this parent."
        ]
    else:
        try:
            income = parse_income(gross_weekly_income)
        except ValueError as exc:
            errors["gross_weekly_income"] = [str(exc)]
        else:
            source = "override" if disclosed is not None else "typed"
    recorded = CaseChild.objects.filter(case=case).count()
    if isinstance(qualifying_children, bool) or not isinstance(qualifying_children, int):
        errors["qualifying_children"] = ["Enter how many children the estimate is for."]
    elif qualifying_children < 1:
        errors["qualifying_children"] = ["The estimate is for at least one child."]
    elif qualifying_children > recorded:
        errors["qualifying_children"] = [
            f"The case records {recorded} child{'ren' if recorded != 1 else ''}: record the "
            "children first, or enter fewer."
        ]
    if isinstance(other_children, bool) or not isinstance(other_children, int):
        errors["other_children"] = ["Enter a whole number of other children."]
    elif not 0 <= other_children <= 20:
        errors["other_children"] = ["Enter between 0 and 20 other children."]
    if errors:
        only = next(iter(errors.values()))[0] if len(errors) == 1 else ""
        raise ValidationFailed(only or "The estimate could not be made.", field_errors=errors)
    assert paying_parent is not None
    agreed = schedules.agreed_schedule(case)
    nights = 0
    if agreed is not None:
        year = schedules.next_twelve_months(agreed)
        carer = "A" if agreed.parent_a_id == paying_parent.pk else "B"
        nights = year.nights.get(carer, 0)
    per_child = [nights] * qualifying_children
    try:
        result = calc.maintenance(
            gross_weekly_income=income,
            qualifying_children=qualifying_children,
            other_children=other_children,
            nights=per_child,
            on=timezone.localdate(),
        )
    except calc.EstimateError as exc:
        raise ValidationFailed(str(exc)) from exc
    except calc.EstimateUnavailable as exc:
        raise ValidationFailed(
            f"{exc} The estimate cannot be made until it is; nothing was saved."
        ) from exc
    estimate = MaintenanceEstimate.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        created_by=actor,
        paying_parent=paying_parent,
        income_source=source,
        gross_weekly_income=income,
        qualifying_children=qualifying_children,
        other_children=other_children,
        schedule=agreed,
        nights=per_child,
        weekly=result.weekly,
        collect_and_pay=result.collect_and_pay,
        explanation={
            "monthly": str(result.monthly),
            "yearly": str(result.yearly),
            "band": result.band,
            "steps": result.steps,
            "rules": result.rules,
            # Where the income came from: the disclosure's items (each dated), and, when the
            # mediator typed another figure, the disclosure's figure they overrode.
            "income_sources": income_sources(disclosed) if disclosed is not None else [],
            "income_missing": list(disclosed.missing) if disclosed is not None else [],
            "disclosure_weekly": str(disclosed.weekly) if disclosed is not None else "",
        },
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="children.estimate_made",
        target=estimate,
        case_id=case.pk,
        details={"estimate_id": estimate.pk, "source": source},
    )
    return estimate


@transaction.atomic
def estimate_agree(*, actor: Any, estimate: MaintenanceEstimate) -> MaintenanceEstimate:
    """Record the figure the parents agreed: it goes into the plan's money heading and the MoU."""
    from accord.cases.services import case_locked_for

    case = case_locked_for(
        actor=actor,
        case=estimate.case,
        action="change",
        refusal="Only the case team can record the agreed figure.",
    )
    MaintenanceEstimate.objects.filter(case=case, agreed_at__isnull=False).update(agreed_at=None)
    estimate = MaintenanceEstimate.objects.get(pk=estimate.pk, case=case)
    estimate.agreed_at = timezone.now()
    estimate.save(update_fields=["agreed_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="children.estimate_agreed",
        target=estimate,
        case_id=case.pk,
        details={"estimate_id": estimate.pk},
    )
    return estimate


def agreed_estimate(case: Case) -> MaintenanceEstimate | None:
    return (
        MaintenanceEstimate.objects.filter(case=case, agreed_at__isnull=False)
        .select_related("paying_parent")
        .first()
    )
