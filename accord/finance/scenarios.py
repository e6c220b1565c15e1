"""Proposals side by side: scenarios built on the shared disclosures, their results per party,
sharing them, and carrying one into the MoU's financial section.

For each scenario and each party: capital (their share of every asset less their share of every
debt, after any lump sum), pensions (as owned, or after a pension sharing percentage), income per
year (with maintenance) against their stated needs (monthly outgoings times twelve), and their
share of the net assets.

Shares are exact. A share typed by the mediator has at most two decimal places; one carried from
a fair-division suggestion is the exact `Fraction` the algorithm found, stored as "n/d" per cent
when two decimal places cannot hold it. Money is worked out with Fractions and rounded to whole
pence once, per party A (half up); party B gets the rest, so the two always add up to the total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.finance.models import CAPITAL_PARTS, Scenario, ScenarioAudience
from accord.finance.money import MAX_PENCE, pence_to_pounds
from accord.finance.statement import statement_sections

TITLE_LIMIT = 120


@dataclass(frozen=True)
class Result:
    """One party's position under a scenario, in pence (share of net assets in per cent)."""

    capital: int
    pensions: int
    income: int
    needs: int
    share_percent: Decimal

    def as_text(self) -> dict[str, str]:
        return {
            "capital": pence_to_pounds(self.capital),
            "pensions": pence_to_pounds(self.pensions),
            "income": pence_to_pounds(self.income),
            "needs": pence_to_pounds(self.needs),
            "surplus": pence_to_pounds(self.income - self.needs),
            "share": f"{self.share_percent}%",
        }


def _item_ids(case: Case) -> dict[str, dict[str, Any]]:
    from accord.finance.services import party_letters

    letters = party_letters(case)
    from accord.finance.models import Disclosure

    out: dict[str, dict[str, Any]] = {}
    for d in Disclosure.objects.filter(case=case, participant_id__in=letters):
        for row in d.shared_items if d.is_shared else []:
            out[str(row["id"])] = row
    return out


def _a_share(row: dict[str, Any]) -> Fraction:
    if row["owner"] == "a":
        return Fraction(100)
    if row["owner"] == "b":
        return Fraction(0)
    return Fraction(str(row.get("share_a_percent", "50")))


def exact_percent(text: Any) -> Fraction:
    """A stored share ("50", "33.33" or "2909/58", per cent) as an exact Fraction."""
    return Fraction(str(text))


def percent_text(share: Fraction) -> str:
    """How a share is stored: a decimal with up to 2 places when that is exact, else "n/d"."""
    if (share * 100).denominator == 1:
        text = f"{Decimal(share.numerator) / Decimal(share.denominator):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{share.numerator}/{share.denominator}"


def percent_words(text: Any) -> str:
    """A stored share for people: "50", "33.33", or "41.38 (exactly 1200/29)"."""
    share = exact_percent(text)
    if (share * 100).denominator == 1:
        return percent_text(share)
    shown = (Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal("0.01"))
    return f"{shown} (exactly {share.numerator}/{share.denominator})"


def _round(amount: Fraction) -> int:
    """Whole pence, half up."""
    return math.floor(amount + Fraction(1, 2))


def _split(a: Fraction, total: Fraction) -> tuple[int, int]:
    """Party A's amount rounded once, party B's the rest of the rounded total."""
    rounded_a = _round(a)
    return rounded_a, _round(total) - rounded_a


def results(case: Case, scenario: Scenario) -> dict[str, Result]:
    """Each party's result ("a", "b") under the scenario, from the shared disclosures."""
    items = _item_ids(case)
    cap_a = cap_all = Fraction(0)
    pensions_total = Fraction(0)
    pensions_owned_a = Fraction(0)
    income_a = income_all = Fraction(0)
    needs_a = needs_all = Fraction(0)
    for key, row in items.items():
        value = Fraction(int(row["value_pence"]))
        owned = _a_share(row)
        if row["part"] in CAPITAL_PARTS or row["part"] == "liabilities":
            share = exact_percent(scenario.allocations.get(key, owned))
            sign = -1 if row["part"] == "liabilities" else 1
            cap_a += sign * value * share / 100
            cap_all += sign * value
        elif row["part"] == "pensions":
            pensions_total += value
            pensions_owned_a += value * owned / 100
        elif row["part"] == "income":
            income_a += value * owned / 100
            income_all += value
        elif row["part"] == "outgoings":
            if row["owner"] != "b":
                needs_a += value * 12 / (1 if row["owner"] == "a" else 2)
            needs_all += value * 12
    cap_a -= scenario.lump_sum_pence
    pension_a = (
        pensions_total * Fraction(scenario.pension_share_a_percent) / 100
        if scenario.pension_share_a_percent is not None
        else pensions_owned_a
    )
    income_a -= scenario.maintenance_pence * 12
    capital = _split(cap_a, cap_all)
    pensions = _split(pension_a, pensions_total)
    income = _split(income_a, income_all)
    needs = _split(needs_a, needs_all)
    net = sum(capital)
    out = {}
    for n, party in enumerate(("a", "b")):
        of_net = (
            (Decimal(capital[n]) * 100 / Decimal(net)).quantize(Decimal("0.1"))
            if net
            else Decimal(0)
        )
        out[party] = Result(
            capital=capital[n],
            pensions=pensions[n],
            income=income[n],
            needs=needs[n],
            share_percent=of_net,
        )
    return out


def _mediator_case(actor: Any, case: Case, *, lock: bool = True) -> Case:
    from accord.finance.services import is_case_mediator

    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.select_related("organisation").get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can build and share scenarios.")
    ensure_part_applies(case, "disclosure")
    return case


def _percent(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Fraction):  # exact, from a fair-division suggestion
        if not 0 <= value <= 100:
            errors[field] = ["Enter a percentage from 0 to 100, like 50."]
            return None
        return value  # type: ignore[return-value]
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = ["Enter a percentage from 0 to 100, like 50."]
        return None
    if isinstance(value, float | bool) or not number.is_finite() or not 0 <= number <= 100:
        errors[field] = ["Enter a percentage from 0 to 100, like 50."]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = ["Use at most 2 decimal places for a percentage."]
        return None
    return number


@transaction.atomic
def scenario_create(
    *,
    actor: Any,
    case: Case,
    title: str,
    allocations: dict[str, Any] | None = None,
    sold: list[Any] | None = None,
    lump_sum_pence: int = 0,
    pension_share_a_percent: Any = None,
    maintenance_pence: int = 0,
) -> Scenario:
    """A case mediator builds a scenario on the shared disclosures (both must be shared)."""
    case = _mediator_case(actor, case)
    items = _item_ids(case)
    errors: dict[str, list[str]] = {}
    if len({str(r["id"]) for r in items.values()}) == 0:
        raise ValidationFailed("Both parties must share their disclosure before scenarios.")
    statement_sections(case)  # both shared, or a clear refusal
    text = title.strip() if isinstance(title, str) else ""
    if not text:
        errors["title"] = ["Give the scenario a short name, like “Sell the house”."]
    elif len(text) > TITLE_LIMIT:
        errors["title"] = [f"Use {TITLE_LIMIT} characters or fewer."]
    clean: dict[str, str] = {}
    for key, value in (allocations or {}).items():
        if str(key) not in items:
            errors["allocations"] = ["Choose items from the shared disclosures."]
            continue
        share = _percent(value, f"allocation_{key}", errors)
        if share is not None:
            clean[str(key)] = percent_text(Fraction(share))
    sold_ids = [str(k) for k in (sold or [])]
    if any(k not in items for k in sold_ids):
        errors["sold"] = ["Choose items from the shared disclosures."]
    for name, amount in (("lump_sum", lump_sum_pence), ("maintenance", maintenance_pence)):
        if isinstance(amount, bool) or not isinstance(amount, int):
            errors[name] = ["Enter the amount in pounds, like 1250 or 1250.50."]
        elif abs(amount) > MAX_PENCE:
            errors[name] = ["The amount is too large: enter an amount up to £1,000,000,000."]
    pension = _percent(pension_share_a_percent, "pension_share_a_percent", errors)
    if errors:
        raise ValidationFailed("The scenario could not be saved.", field_errors=errors)
    scenario = Scenario.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        title=text,
        allocations=clean,
        sold=sorted(set(sold_ids)),
        lump_sum_pence=lump_sum_pence,
        pension_share_a_percent=pension,
        maintenance_pence=maintenance_pence,
        created_by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.scenario_created",
        target=scenario,
        case_id=case.pk,
        details={"scenario_id": scenario.pk},
    )
    return scenario


@transaction.atomic
def scenario_share(
    *, actor: Any, scenario: Scenario, audience: str, participant: Participant | None = None
) -> Scenario:
    """Share a scenario with both parties (the joint room) or one party privately."""
    case = _mediator_case(actor, scenario.case)
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk, case=case)
    if audience not in (ScenarioAudience.JOINT, ScenarioAudience.PRIVATE):
        raise ValidationFailed(
            "Choose who sees the scenario.",
            field_errors={"audience": ["Choose both parties or one party."]},
        )
    if audience == ScenarioAudience.PRIVATE and (
        participant is None or participant.case_id != case.pk or not participant.is_party
    ):
        raise ValidationFailed(
            "Choose the party to share the scenario with.",
            field_errors={"participant": ["Choose a party of this case."]},
        )
    scenario.audience = audience
    scenario.shared_with = participant if audience == ScenarioAudience.PRIVATE else None
    scenario.shared_at = timezone.now()
    scenario.save(update_fields=["audience", "shared_with", "shared_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.scenario_shared",
        target=scenario,
        case_id=case.pk,
        details={
            "scenario_id": scenario.pk,
            "audience": audience,
            "participant_id": scenario.shared_with_id,
        },
    )
    return scenario


def scenario_wording(case: Case, scenario: Scenario) -> str:
    """The scenario in words with its figures, for the MoU's financial section."""
    _, names, _ = statement_sections(case)
    outcome = results(case, scenario)
    lines = []
    items = _item_ids(case)
    for key, share in sorted(scenario.allocations.items(), key=lambda kv: int(kv[0])):
        row = items.get(key)
        if row is None:
            continue
        verb = "is sold and the proceeds split" if key in scenario.sold else "is shared"
        lines.append(
            f"{row['description']} ({pence_to_pounds(int(row['value_pence']))}) {verb}: "
            f"{names.get('a')} {percent_words(share)}%, "
            f"{names.get('b')} {percent_words(100 - exact_percent(share))}%."
        )
    if scenario.lump_sum_pence:
        payer, payee = ("a", "b") if scenario.lump_sum_pence > 0 else ("b", "a")
        lines.append(
            f"{names.get(payer)} pays {names.get(payee)} a lump sum of "
            f"{pence_to_pounds(abs(scenario.lump_sum_pence))}."
        )
    if scenario.pension_share_a_percent is not None:
        lines.append(
            f"Pensions are shared so that {names.get('a')} has "
            f"{scenario.pension_share_a_percent}% of their total value."
        )
    if scenario.maintenance_pence:
        payer, payee = ("a", "b") if scenario.maintenance_pence > 0 else ("b", "a")
        lines.append(
            f"{names.get(payer)} pays {names.get(payee)} maintenance of "
            f"{pence_to_pounds(abs(scenario.maintenance_pence))} a month."
        )
    for party in ("a", "b"):
        r = outcome[party].as_text()
        lines.append(
            f"Result for {names.get(party)}: capital {r['capital']} ({r['share']} of the net "
            f"assets), pensions {r['pensions']}, income {r['income']} a year against needs of "
            f"{r['needs']}."
        )
    return "\n".join(lines)


@transaction.atomic
def scenario_to_mou(*, actor: Any, scenario: Scenario) -> Any:
    """Carry the scenario, with its figures, into the case's MoU draft as a financial section."""
    from accord.outcomes import content
    from accord.outcomes.models import OutcomeDraft, OutcomeKind, OutcomeStatus
    from accord.outcomes.services import outcome_draft_create, outcome_draft_update

    case = _mediator_case(actor, scenario.case)
    draft = (
        OutcomeDraft.objects.filter(case=case, kind=OutcomeKind.MOU, status=OutcomeStatus.DRAFT)
        .order_by("-id")
        .first()
    )
    if draft is None:
        draft = outcome_draft_create(actor=actor, case=case, kind=OutcomeKind.MOU)
    fields = content.as_fields(OutcomeKind.MOU, draft.sections)
    n = len(draft.sections.get("items", [])) + 1
    fields[f"item_{n}_title"] = f"Finances: {scenario.title}"
    fields[f"item_{n}_wording"] = scenario_wording(case, scenario)
    draft = outcome_draft_update(actor=actor, draft=draft, fields=fields)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.scenario_to_mou",
        target=scenario,
        case_id=case.pk,
        details={"scenario_id": scenario.pk, "draft_id": draft.pk},
    )
    return draft


def scenarios_for(*, user: Any, case: Case) -> list[Scenario]:
    """The mediators and case staff: every scenario. A party: those shared with them."""
    if case_policy.can(user, "view_workspace", case):
        return list(Scenario.objects.filter(case=case).order_by("id"))
    from accord.finance.selectors import reader_party

    me = reader_party(user, case)
    if me is None:
        raise NotFoundOrHidden("No such case.")
    return [
        s
        for s in Scenario.objects.filter(case=case).order_by("id")
        if s.audience == ScenarioAudience.JOINT
        or (s.audience == ScenarioAudience.PRIVATE and s.shared_with_id == me.pk)
    ]


def side_by_side(case: Case, scenarios: list[Scenario]) -> list[dict[str, Any]]:
    """Rows for the table and the chart: each scenario with each party's results in words."""
    _, names, _ = statement_sections(case)
    table = []
    for s in scenarios:
        r = results(case, s)
        table.append(
            {
                "scenario": s,
                "a": r["a"].as_text(),
                "b": r["b"].as_text(),
                "raw": r,
                "names": names,
            }
        )
    return table


def chart_svg(case: Case, scenarios: list[Scenario]) -> str:
    """Each party's capital and pensions under each scenario, as a grouped bar chart (SVG)."""
    from accord.core.charts import bar_chart

    _, names, _ = statement_sections(case)
    rows = [(s, results(case, s)) for s in scenarios]
    series = {}
    for party in ("a", "b"):
        series[f"{names.get(party, party.upper())}: capital"] = [
            r[party].capital / 100 for _, r in rows
        ]
        series[f"{names.get(party, party.upper())}: pensions"] = [
            r[party].pensions / 100 for _, r in rows
        ]
    return bar_chart(
        title="Capital and pensions by scenario",
        categories=[s.title for s, _ in rows] or ["No scenarios"],
        series=series if rows else {"None": [0]},
        unit="£",
    )


def parties_of(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"))
