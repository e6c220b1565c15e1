"""Reads of financial disclosure for a user (DOMAIN.md section 3).

- The case's staff (`view_workspace`) see both parties' disclosures as they are now.
- A party sees their own disclosure as it is now.
- A party sees the other party's disclosure only once shared, and only as it was when shared
  (the snapshot), with each item changed or removed since marked, and how many were added.
- Nobody else learns anything: NotFoundOrHidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import part_applies
from accord.cases.selectors import is_portal_party
from accord.core.errors import NotFoundOrHidden
from accord.finance.models import (
    CAPITAL_PARTS,
    DEBT_PARTS,
    Disclosure,
    DisclosureItem,
    Evidence,
    FormEPart,
    Owner,
)
from accord.finance.services import party_letters, requirements_in_force

PART_LABELS = dict(FormEPart.choices)
OWNER_LABELS = dict(Owner.choices)


@dataclass
class ItemView:
    """An item as the reader may see it."""

    id: int
    part: str
    description: str
    owner: str
    share_a_percent: str
    value_pence: int
    valuation_date: dt.date
    note: str
    by_mediator: bool = False
    #: Income only: before tax, per year (None when not given).
    gross_pence: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    evidence_seen: bool = False
    #: Shared view only: the item changed, or was removed, after it was shared.
    changed_since: bool = False
    removed_since: bool = False

    @property
    def part_label(self) -> str:
        return PART_LABELS.get(self.part, self.part)

    @property
    def owner_label(self) -> str:
        if self.owner == Owner.JOINT:
            return f"Joint ({self.share_a_percent}% party A)"
        return OWNER_LABELS.get(self.owner, self.owner)


@dataclass
class DisclosureView:
    """One party's disclosure as the reader may see it."""

    participant: Participant
    letter: str
    items: list[ItemView]
    live: bool
    shared_at: dt.datetime | None
    parts_completed: list[str]
    added_since: int = 0
    gaps: list[str] = field(default_factory=list)

    @property
    def parts(self) -> list[tuple[str, str, list[ItemView]]]:
        """(code, label, items) for each Form E part that has items, in form order."""
        return [
            (code, label, [i for i in self.items if i.part == code])
            for code, label in FormEPart.choices
            if any(i.part == code for i in self.items)
        ]

    @property
    def totals(self) -> dict[str, int]:
        return totals(self.items)


def totals(items: list[ItemView]) -> dict[str, int]:
    """Capital, debts, net capital, pensions, income and outgoings, in pence."""
    out = {"capital": 0, "debts": 0, "pensions": 0, "income": 0, "outgoings": 0}
    for item in items:
        if item.removed_since:
            continue
        if item.part in CAPITAL_PARTS:
            out["capital"] += item.value_pence
        elif item.part in DEBT_PARTS:
            out["debts"] += item.value_pence
        elif item.part == "pensions":
            out["pensions"] += item.value_pence
        elif item.part == "income":
            out["income"] += item.value_pence
        elif item.part == "outgoings":
            out["outgoings"] += item.value_pence
    out["net_capital"] = out["capital"] - out["debts"]
    return out


def _live_items(disclosure: Disclosure | None) -> list[ItemView]:
    if disclosure is None:
        return []
    rows = DisclosureItem.objects.filter(disclosure=disclosure).prefetch_related("evidence")
    return [
        ItemView(
            id=i.pk,
            part=i.part,
            description=i.description,
            owner=i.owner,
            share_a_percent=f"{i.share_a_percent.normalize():f}",
            value_pence=i.value_pence,
            valuation_date=i.valuation_date,
            note=i.note,
            by_mediator=i.by_mediator,
            gross_pence=i.gross_pence,
            evidence=list(i.evidence.all()),
            evidence_seen=any(e.seen_at for e in i.evidence.all()),
        )
        for i in rows.order_by("id")
    ]


def _shared_items(disclosure: Disclosure) -> tuple[list[ItemView], int]:
    live = {
        pk: version
        for pk, version in DisclosureItem.objects.filter(disclosure=disclosure).values_list(
            "id", "version"
        )
    }
    shown = []
    ids = set()
    for row in disclosure.shared_items:
        ids.add(row["id"])
        share = row.get("share_a_percent", "50")
        shown.append(
            ItemView(
                id=row["id"],
                part=row["part"],
                description=row["description"],
                owner=row["owner"],
                share_a_percent=str(share).rstrip("0").rstrip(".") if "." in str(share) else share,
                value_pence=int(row["value_pence"]),
                valuation_date=dt.date.fromisoformat(row["valuation_date"]),
                note=row.get("note", ""),
                gross_pence=row.get("gross_pence"),
                evidence_seen=bool(row.get("evidence_seen")),
                changed_since=row["id"] in live and live[row["id"]] != row["version"],
                removed_since=row["id"] not in live,
            )
        )
    added = len(set(live) - ids)
    return shown, added


def gaps_for(
    case: Case, participant: Participant, items: list[ItemView], done: list[str]
) -> list[str]:
    """What is missing from a party's disclosure, in plain words."""
    needs = requirements_in_force(case.organisation_id, timezone.localdate())
    out = []
    for item in items:
        if item.part in needs and not item.evidence:
            out.append(f"Evidence for “{item.description}”: {needs[item.part]}.")
    for code, label in FormEPart.choices:
        if code not in done:
            out.append(f"{label}: not yet completed.")
    return out


def _party_of(user: Any, case: Case) -> Participant | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return (
        Participant.objects.filter(case=case, user_id=pk, portal_access=True, role__in=PARTY_ROLES)
        .order_by("id")
        .first()
    )


def reader_party(user: Any, case: Case) -> Participant | None:
    """The party the user is on this case, through the portal (None for staff or strangers)."""
    if not is_portal_party(user, case):
        return None
    return _party_of(user, case)


def disclosures_for(*, user: Any, case: Case) -> list[DisclosureView]:
    """Every disclosure of the case the user may read, as they may read it (see module doc)."""
    if not part_applies(case, "disclosure"):
        raise NotFoundOrHidden("No such disclosure.")
    staff = case_policy.can(user, "view_workspace", case)
    me = None if staff else reader_party(user, case)
    if not staff and me is None:
        raise NotFoundOrHidden("No such case.")
    letters = party_letters(case)
    found = {d.participant_id: d for d in Disclosure.objects.filter(case=case)}
    result = []
    for party in Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"):
        if party.pk not in letters:
            continue
        disclosure = found.get(party.pk)
        done = list(disclosure.parts_completed) if disclosure else []
        if staff or (me is not None and party.pk == me.pk):
            items = _live_items(disclosure)
            result.append(
                DisclosureView(
                    participant=party,
                    letter=letters[party.pk],
                    items=items,
                    live=True,
                    shared_at=disclosure.shared_at if disclosure else None,
                    parts_completed=done,
                    gaps=gaps_for(case, party, items, done),
                )
            )
        elif disclosure is not None and disclosure.is_shared:
            shown, added = _shared_items(disclosure)
            result.append(
                DisclosureView(
                    participant=party,
                    letter=letters[party.pk],
                    items=shown,
                    live=False,
                    shared_at=disclosure.shared_at,
                    parts_completed=[],
                    added_since=added,
                )
            )
    return result


def item_get_for(*, user: Any, case: Case, item_id: Any) -> DisclosureItem:
    """An item the user may change: their own (a party) or any on the case (its staff)."""
    try:
        item = DisclosureItem.objects.select_related("disclosure__participant").get(
            pk=int(item_id), disclosure__case=case
        )
    except (DisclosureItem.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such item.") from None
    if case_policy.can(user, "view_workspace", case):
        return item
    me = reader_party(user, case)
    if me is None or item.disclosure.participant_id != me.pk:
        raise NotFoundOrHidden("No such item.")
    return item


def evidence_get_for(*, user: Any, case: Case, evidence_id: Any) -> Evidence:
    """A document the user may download: the case's staff, or the party who disclosed the item."""
    try:
        evidence = Evidence.objects.select_related("item__disclosure").get(
            pk=int(evidence_id), item__disclosure__case=case
        )
    except (Evidence.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such document.") from None
    if case_policy.can(user, "view_workspace", case):
        return evidence
    me = reader_party(user, case)
    if me is None or evidence.item.disclosure.participant_id != me.pk:
        raise NotFoundOrHidden("No such document.")
    return evidence


def party_for_staff(*, user: Any, case: Case, participant_id: Any) -> Participant:
    """A party of the case, for its staff entering disclosure for them."""
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such party.")
    try:
        return Participant.objects.get(case=case, pk=int(participant_id), role__in=PARTY_ROLES)
    except (Participant.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such party.") from None


@dataclass(frozen=True)
class IncomeSource:
    """One income item behind a gross weekly income: what, before tax a year, dated."""

    item_id: int
    description: str
    gross_yearly_pence: int
    valuation_date: dt.date


@dataclass(frozen=True)
class GrossWeeklyIncome:
    """A party's gross weekly income from their disclosure (for the 2012 child maintenance scheme).

    `weekly` is the gross yearly income of the items in `sources` divided by 52, rounded half up
    to the penny; `missing` names income items with no figure before tax (left out of `weekly`).
    """

    weekly: Decimal
    sources: tuple[IncomeSource, ...]
    missing: tuple[str, ...] = ()


def gross_weekly_income(
    case: Case, participant: Participant, *, user: Any
) -> GrossWeeklyIncome | None:
    """The party's gross weekly income from their disclosure as it is now: case staff only.

    The items are the income items of the party's own disclosure that the party owns (a joint
    income counts at the party's share); each needs its figure before tax (`gross_pence`).
    None when no such item has one. Others get NotFoundOrHidden.
    """
    if not part_applies(case, "disclosure") or not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such disclosure.")
    letter = party_letters(case).get(participant.pk)
    if letter is None or participant.case_id != case.pk:
        raise NotFoundOrHidden("No such party.")
    rows = DisclosureItem.objects.filter(
        disclosure__case=case, disclosure__participant=participant, part="income"
    ).order_by("id")
    sources: list[IncomeSource] = []
    missing: list[str] = []
    total = Decimal(0)
    for item in rows:
        if item.owner == Owner.JOINT:
            share = item.share_a_percent if letter == "a" else 100 - item.share_a_percent
        elif item.owner == letter:
            share = Decimal(100)
        else:
            continue
        if item.gross_pence is None:
            missing.append(item.description)
            continue
        mine = (Decimal(item.gross_pence) * share / 100).quantize(Decimal(1), ROUND_HALF_UP)
        total += mine
        sources.append(IncomeSource(item.pk, item.description, int(mine), item.valuation_date))
    if not sources:
        return None
    weekly = (total / 100 / 52).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return GrossWeeklyIncome(weekly=weekly, sources=tuple(sources), missing=tuple(missing))
