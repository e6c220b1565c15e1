"""Proposals side by side: scenarios built on the shared disclosures, their results per party,
sharing them, and carrying one into the MoU's financial section.

For each scenario and each party: capital (their share of every asset less their share of every
debt, after any lump sum), pensions (as owned, or after a pension sharing percentage), income per
year (with maintenance) against their stated needs (monthly outgoings times twelve), and their
share of the net assets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
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


def _a_share(row: dict[str, Any]) -> Decimal:
    if row["owner"] == "a":
        return Decimal(100)
    if row["owner"] == "b":
        return Decimal(0)
    return Decimal(str(row.get("share_a_percent", "50")))


def results(case: Case, scenario: Scenario) -> dict[str, Result]:
    """Each party's result ("a", "b") under the scenario, from the shared disclosures."""
    items = _item_ids(case)
    cap = {"a": Decimal(0), "b": Decimal(0)}
    pensions_total = Decimal(0)
    pensions_owned_a = Decimal(0)
    income = {"a": Decimal(0), "b": Decimal(0)}
    needs = {"a": Decimal(0), "b": Decimal(0)}
    for key, row in items.items():
        value = Decimal(int(row["value_pence"]))
        owned = _a_share(row)
        if row["part"] in CAPITAL_PARTS or row["part"] == "liabilities":
            share = Decimal(str(scenario.allocations.get(key, owned)))
            sign = -1 if row["part"] == "liabilities" else 1
            cap["a"] += sign * value * share / 100
            cap["b"] += sign * value * (100 - share) / 100
        elif row["part"] == "pensions":
            pensions_total += value
            pensions_owned_a += value * owned / 100
        elif row["part"] == "income":
            income["a"] += value * owned / 100
            income["b"] += value * (100 - owned) / 100
        elif row["part"] == "outgoings":
            who = "a" if row["owner"] == "a" else "b" if row["owner"] == "b" else None
            for party in (who,) if who else ("a", "b"):
                needs[party] += value * 12 / (1 if who else 2)
    cap["a"] -= scenario.lump_sum_pence
    cap["b"] += scenario.lump_sum_pence
    pension_a = (
        pensions_total * scenario.pension_share_a_percent / 100
        if scenario.pension_share_a_percent is not None
        else pensions_owned_a
    )
    income["a"] -= scenario.maintenance_pence * 12
    income["b"] += scenario.maintenance_pence * 12
    net = cap["a"] + cap["b"]
    out = {}
    for party in ("a", "b"):
        share = (cap[party] * 100 / net).quantize(Decimal("0.1")) if net else Decimal(0)
        pension = pension_a if party == "a" else pensions_total - pension_a
        out[party] = Result(
            capital=int(cap[party].to_integral_value()),
            pensions=int(pension.to_integral_value()),
            income=int(income[party].to_integral_value()),
            needs=int(needs[party].to_integral_value()),
            share_percent=share,
        )
    return out


def _mediator_case(actor: Any, case: Case) -> Case:
    from accord.finance.services import is_case_mediator

    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can build and share scenarios.")
    ensure_part_applies(case, "disclosure")
    return case


def _percent(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
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
            clean[str(key)] = str(share)
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
            f"{names.get('a')} {share}%, {names.get('b')} {Decimal(100) - Decimal(share)}%."
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
