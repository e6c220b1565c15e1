"""What each party is charged for what happened on a case: pure logic, no Django.

The services resolve the fee schedule in force on each event's date and hand over plain data;
this module decides who pays what:

- a MIAM or a missed appointment is charged to the parties who attended (or were expected);
- a session or a document is shared between the parties by the case's sharing (equal, agreed
  percentages, one pays all);
- a legally aided party's share is left off (the Legal Aid Agency pays it), and so is the free
  MIAM and first session of the other party when one party is aided (DOMAIN.md section 9);
- the Family Mediation Voucher pays towards session charges (never the MIAM) up to what is left
  of it, once per case (the caller passes 0 where the case has no child arrangements issue).

Amounts are Decimal pounds, rounded to the penny with ROUND_HALF_UP; nothing is a float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")

MIAM = "miam"
SESSION = "session"
DOCUMENT = "document"
MISSED = "cancellation"
VOUCHER = "voucher"


def pence(amount: Decimal) -> Decimal:
    """Round to the penny, halves up."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Price:
    """The price of one event from the schedule in force on its date."""

    net: Decimal
    vat_rate: Decimal = Decimal("0")  # a fraction: 0.20 for 20 %; 0 when VAT is off


@dataclass(frozen=True)
class Event:
    """Something chargeable that happened: `ref` names it uniquely (e.g. "session:12")."""

    ref: str
    kind: str
    label: str
    party_ids: tuple[int, ...]
    price: Price
    session_number: int | None = None


@dataclass(frozen=True)
class Funding:
    """How one party is funded, as far as charging goes."""

    legally_aided: bool = False
    #: The other party is legally aided: this party's MIAM and first session are free.
    free_miam_and_first_session: bool = False


@dataclass(frozen=True)
class Line:
    """One line of a party's invoice; `gross` = `net` + `vat` (negative for the voucher)."""

    party_id: int
    ref: str
    kind: str
    label: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass
class Outcome:
    """The lines per party, and what was left off and why (for the team, not the invoice)."""

    lines: dict[int, list[Line]] = field(default_factory=dict)
    left_off: list[tuple[int, str, str]] = field(default_factory=list)
    voucher_used: Decimal = Decimal("0")


def split(amount: Decimal, shares: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Split `amount` by percentage shares; the pennies lost to rounding go to the first payer.

    The result always adds up to `amount` exactly.
    """
    payers = [pid for pid, pct in shares.items() if pct > 0]
    if not payers:
        return {}
    parts = {pid: pence(amount * shares[pid] / HUNDRED) for pid in payers}
    parts[payers[0]] += amount - sum(parts.values(), Decimal("0"))
    return parts


def shares_for(
    basis: str, party_ids: Iterable[int], agreed: Mapping[int, Decimal], payer: int | None
) -> dict[int, Decimal]:
    """The percentage each party pays: equal, the agreed percentages, or one pays all."""
    ids = sorted(party_ids)
    if not ids:
        return {}
    if basis == "one_pays" and payer in ids:
        return {pid: (HUNDRED if pid == payer else Decimal("0")) for pid in ids}
    if basis == "percentages" and agreed and sum(agreed.values(), Decimal("0")) == HUNDRED:
        return {pid: Decimal(agreed.get(pid, Decimal("0"))) for pid in ids}
    each = HUNDRED / len(ids)
    return dict.fromkeys(ids, each)


def _free_for(event: Event, funding: Funding) -> str:
    """Why this party's part of the event is left off, or "" when it is charged."""
    if funding.legally_aided:
        return "legal aid"
    if funding.free_miam_and_first_session and (
        event.kind == MIAM or (event.kind == SESSION and event.session_number == 1)
    ):
        return "free: the other party is legally aided"
    return ""


def charge(
    events: Iterable[Event],
    *,
    shares: Mapping[int, Decimal],
    funding: Mapping[int, Funding],
    voucher_left: Decimal = Decimal("0"),
) -> Outcome:
    """Charge every event to the parties; see the module's docstring for the rules."""
    outcome = Outcome()
    voucher_left = max(voucher_left, Decimal("0"))
    for event in events:
        if event.kind in (MIAM, MISSED):
            parts = {pid: event.price.net for pid in event.party_ids}
        else:
            parts = split(event.price.net, shares)
        for pid, net in parts.items():
            if net <= 0:
                continue
            why = _free_for(event, funding.get(pid, Funding()))
            if why:
                outcome.left_off.append((pid, event.ref, why))
                continue
            vat = pence(net * event.price.vat_rate)
            gross = net + vat
            outcome.lines.setdefault(pid, []).append(
                Line(pid, event.ref, event.kind, event.label, net, vat, gross)
            )
            if event.kind == SESSION and voucher_left > 0:
                used = min(gross, voucher_left)
                voucher_left -= used
                outcome.voucher_used += used
                outcome.lines[pid].append(
                    Line(
                        pid,
                        f"{event.ref}:voucher",
                        VOUCHER,
                        f"Family Mediation Voucher towards {event.label}",
                        -used,
                        Decimal("0"),
                        -used,
                    )
                )
    return outcome


def totals(lines: Iterable[Line]) -> tuple[Decimal, Decimal, Decimal]:
    """Net, VAT and gross of some lines."""
    rows = list(lines)
    zero = Decimal("0")
    return (
        sum((r.net for r in rows), zero),
        sum((r.vat for r in rows), zero),
        sum((r.gross for r in rows), zero),
    )


def session_price(
    minutes: int, *, per_hour: Decimal | None, per_session: Decimal | None
) -> Decimal | None:
    """A session's net price: by the hour when the schedule says so, else a flat fee."""
    if per_hour is not None:
        return pence(per_hour * Decimal(minutes) / Decimal(60))
    return per_session


def periods_overlap(
    a_from: object, a_to: object | None, b_from: object, b_to: object | None
) -> bool:
    """Whether two date periods [from, to] overlap; `to` None means open-ended."""
    a_starts_before_b_ends = b_to is None or a_from <= b_to  # type: ignore[operator]
    b_starts_before_a_ends = a_to is None or b_from <= a_to  # type: ignore[operator]
    return a_starts_before_b_ends and b_starts_before_a_ends


@dataclass(frozen=True)
class Work:
    """Work done on a case, unpriced, for the legal aid claim (`kind`: MIAM, SESSION, DOCUMENT)."""

    ref: str
    kind: str
    label: str
    party_ids: tuple[int, ...]
    session_number: int | None = None
    day: date | None = None


@dataclass(frozen=True)
class Claim:
    """One claimable item: the work, and each party it is claimed for with why."""

    work: Work
    parties: tuple[tuple[int, str], ...]


def claimable(work: Iterable[Work], funding: Mapping[int, Funding]) -> list[Claim]:
    """What the Legal Aid Agency pays for (DOMAIN.md sections 2.1 and 9): exactly the held work
    the invoices leave off because of legal aid.

    - a MIAM, for the party who attended when they are legally aided, or when the other party
      is (their MIAM is free);
    - a session, for each legally aided party, and for the other party when it is the first
      session (free because a party is aided);
    - a written outcome issued, for each legally aided party.

    Missed appointments are not claimed (nothing was held). Work with no party to claim for is
    left out.
    """
    claims = []
    for item in work:
        if item.kind not in (MIAM, SESSION, DOCUMENT):
            continue
        who = []
        for pid in item.party_ids:
            f = funding.get(pid, Funding())
            event = Event(
                item.ref,
                item.kind,
                item.label,
                (pid,),
                Price(Decimal("0")),
                session_number=item.session_number,
            )
            why = _free_for(event, f)
            if why and (item.kind != DOCUMENT or f.legally_aided):
                who.append((pid, why))
        if who:
            claims.append(Claim(item, tuple(who)))
    return claims
