"""Ratings and fair-division suggestions (DOMAIN.md section 7).

Each party spreads the service's points (100 or 1,000) over the shared assets, privately: the
ratings are the party's and the mediators' only, like a private room. Once both have rated, the
mediators see the Adjusted Winner and Maximum Nash Welfare suggestions from `accord.division`
(imported lazily: the pure module is written apart), explained in plain words, and may turn one
into a scenario.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.finance.models import CAPITAL_PARTS, FinanceSettings, Rating

POINTS_CHOICES = (100, 1000)


def rating_points(organisation_id: int) -> int:
    """How many points each party spreads in this service (100 unless it chose 1,000)."""
    row = FinanceSettings.objects.filter(organisation_id=organisation_id).first()
    return row.rating_points if row else 100


@transaction.atomic
def finance_settings_set(*, actor: Any, organisation: Any, rating_points: int) -> FinanceSettings:
    """A service admin chooses 100 or 1,000 points."""
    from accord.organisations.models import Role
    from accord.organisations.selectors import _memberships

    roles: Any = _memberships(actor).get(organisation.pk, set()) if actor is not None else set()
    if Role.SERVICE_ADMIN not in roles:
        raise NotPermitted("Only the service's admins can change how ratings are counted.")
    if rating_points not in POINTS_CHOICES:
        raise ValidationFailed(
            "Choose 100 or 1,000 points.",
            field_errors={"rating_points": ["Choose 100 or 1,000 points."]},
        )
    row, _ = FinanceSettings.objects.update_or_create(
        organisation=organisation, defaults={"rating_points": rating_points}
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="finance.settings_changed",
        target=row,
        details={"rating_points": rating_points},
    )
    return row


def rateable_items(case: Case) -> list[dict[str, Any]]:
    """The shared assets the parties rate (capital items of both shared disclosures)."""
    from accord.finance.scenarios import _item_ids
    from accord.finance.statement import statement_sections

    statement_sections(case)  # both shared, or a clear refusal
    rows = _item_ids(case)
    return [
        row
        for key, row in sorted(rows.items(), key=lambda kv: int(kv[0]))
        if row["part"] in CAPITAL_PARTS
    ]


@transaction.atomic
def ratings_submit(
    *, actor: Any, case: Case, participant: Participant, points: dict[str, Any]
) -> list[Rating]:
    """A party rates every shared asset once, the points adding up to the service's total."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if (
        participant.case_id != case.pk
        or not participant.is_party
        or participant.user_id != getattr(actor, "pk", None)
        or not participant.portal_access
    ):
        raise NotFoundOrHidden("No such party.")
    ensure_part_applies(case, "disclosure")
    items = rateable_items(case)
    if Rating.objects.filter(case=case, participant=participant).exists():
        raise ValidationFailed("You have already rated these items; ratings cannot be changed.")
    total = rating_points(case.organisation_id)
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    keys = {str(row["id"]) for row in items}
    for key, value in points.items():
        if str(key) not in keys:
            errors["points"] = ["Rate only the shared items listed."]
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[f"item_{key}"] = ["Enter a whole number of points, 0 or more."]
            continue
        clean[str(key)] = value
    missing = keys - set(clean) - {k.removeprefix("item_") for k in errors}
    if missing:
        errors["points"] = ["Give every item a number of points (0 is allowed)."]
    if not errors and sum(clean.values()) != total:
        errors["points"] = [
            f"Your points add up to {sum(clean.values()):,}; they must add up to {total:,}."
        ]
    if errors:
        general = errors.get("points", ["The ratings could not be saved."])[0]
        raise ValidationFailed(general, field_errors=errors)
    now = timezone.now()
    made = [
        Rating.objects.create(
            case=case, participant=participant, item_key=key, points=value, rated_at=now
        )
        for key, value in sorted(clean.items(), key=lambda kv: int(kv[0]))
    ]
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.items_rated",
        target=made[0],
        case_id=case.pk,
        details={"participant_id": participant.pk, "items": len(made)},
    )
    return made


def ratings_for(*, user: Any, case: Case) -> dict[int, dict[str, int]]:
    """Participant id to their points per item: the mediators see all; a party only their own."""
    from accord.finance.selectors import reader_party
    from accord.finance.services import is_case_mediator

    rows = Rating.objects.filter(case=case)
    if case_policy.can(user, "view_workspace", case):
        pk = getattr(user, "pk", None)
        if not (is_case_mediator(user, case) or pk == case.supervisor_id):
            raise NotFoundOrHidden("No such ratings.")
    else:
        me = reader_party(user, case)
        if me is None:
            raise NotFoundOrHidden("No such case.")
        rows = rows.filter(participant=me)
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r.participant_id, {})[r.item_key] = r.points
    return out


def suggestions(*, user: Any, case: Case) -> dict[str, Any]:
    """AW and MNW suggestions with their explanations, for the mediators; {} until both rated.

    "unavailable" is set when the fair-division module is not installed yet.
    """
    ratings = ratings_for(user=user, case=case)
    parties = list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"))[:2]
    if len(parties) < 2 or any(p.pk not in ratings for p in parties):
        return {}
    items = rateable_items(case)
    keys = [str(row["id"]) for row in items]
    pa = [ratings[parties[0].pk].get(k, 0) for k in keys]
    pb = [ratings[parties[1].pk].get(k, 0) for k in keys]
    names = (parties[0].full_name, parties[1].full_name)
    try:
        from accord.division import adjusted_winner, explain, max_nash_welfare
    except ImportError:
        return {"unavailable": True, "items": items}
    aw = adjusted_winner(pa, pb)
    mnw = max_nash_welfare([pa, pb])
    aw_shares = list(aw.shares)
    mnw_shares = list(mnw.shares[0])
    return {
        "items": items,
        "names": names,
        "aw": {
            "shares": dict(zip(keys, aw_shares, strict=True)),
            "explain": explain([pa, pb], [aw_shares, [1 - s for s in aw_shares]], names=names),
        },
        "mnw": {
            "shares": dict(zip(keys, mnw_shares, strict=True)),
            "explain": explain([pa, pb], [mnw_shares, list(mnw.shares[1])], names=names),
        },
    }


def percent(share: Fraction | Any) -> Decimal:
    """A share (a Fraction from 0 to 1) as a percentage to 2 places."""
    value = Fraction(share) * 100
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def suggestion_to_scenario(*, actor: Any, case: Case, method: str) -> Any:
    """Turn the AW or MNW suggestion into a scenario, with the exact shares it found (a split
    item's share is kept as a fraction, never rounded: see scenarios.py)."""
    from accord.finance.scenarios import scenario_create

    if method not in ("aw", "mnw"):
        raise ValidationFailed("Choose Adjusted Winner or Maximum Nash Welfare.")
    found = suggestions(user=actor, case=case)
    if not found:
        raise ValidationFailed("Both parties must rate the items first.")
    if found.get("unavailable"):
        raise ValidationFailed("The fair-division suggestions are not available yet.")
    title = "Adjusted Winner suggestion" if method == "aw" else "Maximum Nash Welfare suggestion"
    return scenario_create(
        actor=actor,
        case=case,
        title=title,
        allocations={k: Fraction(v) * 100 for k, v in found[method]["shares"].items()},
    )
