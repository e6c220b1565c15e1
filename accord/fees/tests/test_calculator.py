"""The pure charging rules: shares, legal aid, the free MIAM and first session, the voucher."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.fees import calculator as calc
from accord.fees.money import MoneyProblem, parse_money

D = Decimal
P = calc.Price(D("120.00"))


def _events() -> list[calc.Event]:
    return [
        calc.Event("miam:1", calc.MIAM, "MIAM A", (1,), P),
        calc.Event("miam:2", calc.MIAM, "MIAM B", (2,), P),
        calc.Event("session:1", calc.SESSION, "Session 1", (1, 2), calc.Price(D("200")), 1),
        calc.Event("session:2", calc.SESSION, "Session 2", (1, 2), calc.Price(D("200")), 2),
    ]


def test_private_parties_share_sessions_and_pay_their_own_miam() -> None:
    out = calc.charge(_events(), shares={1: D(50), 2: D(50)}, funding={})
    assert [line.gross for line in out.lines[1]] == [D("120.00"), D("100.00"), D("100.00")]
    assert calc.totals(out.lines[2])[2] == D("320.00")


def test_aided_party_pays_nothing_and_the_other_gets_miam_and_first_session_free() -> None:
    funding = {
        1: calc.Funding(legally_aided=True),
        2: calc.Funding(free_miam_and_first_session=True),
    }
    out = calc.charge(_events(), shares={1: D(50), 2: D(50)}, funding=funding)
    assert 1 not in out.lines
    assert [line.ref for line in out.lines[2]] == ["session:2"]
    assert {(pid, ref) for pid, ref, _ in out.left_off} == {
        (1, "miam:1"),
        (1, "session:1"),
        (1, "session:2"),
        (2, "miam:2"),
        (2, "session:1"),
    }


def test_voucher_pays_sessions_not_the_miam_up_to_what_is_left() -> None:
    out = calc.charge(_events(), shares={1: D(50), 2: D(50)}, funding={}, voucher_left=D("150"))
    vouchers = [line for lines in out.lines.values() for line in lines if line.kind == calc.VOUCHER]
    assert sum(-v.gross for v in vouchers) == D("150")
    assert all(v.ref.startswith("session:") for v in vouchers)
    assert out.voucher_used == D("150")


def test_vat_is_added_per_line() -> None:
    event = calc.Event("miam:1", calc.MIAM, "MIAM", (1,), calc.Price(D("99.99"), D("0.20")))
    line = calc.charge([event], shares={1: D(100)}, funding={}).lines[1][0]
    assert (line.net, line.vat, line.gross) == (D("99.99"), D("20.00"), D("119.99"))


def test_hourly_sessions_are_priced_by_length() -> None:
    assert calc.session_price(90, per_hour=D("100"), per_session=D("1")) == D("150.00")
    assert calc.session_price(90, per_hour=None, per_session=D("180")) == D("180")


def test_one_pays_all_and_percentages() -> None:
    assert calc.shares_for("one_pays", [1, 2], {}, 2) == {1: D(0), 2: D(100)}
    assert calc.shares_for("percentages", [1, 2], {1: D(70), 2: D(30)}, None) == {
        1: D(70),
        2: D(30),
    }


@given(
    amount=st.decimals(min_value=0, max_value=100000, places=2),
    first=st.integers(min_value=0, max_value=100),
)
def test_a_split_always_adds_up(amount: Decimal, first: int) -> None:
    parts = calc.split(amount, {1: D(first), 2: D(100 - first)})
    assert sum(parts.values(), D(0)) == amount or not parts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.345", "two decimal places"),
        ("-5", "negative"),
        ("1000000", "no more than"),
        ("abc", "pounds and pence"),
        ("0", "greater than zero"),
        ("NaN", "pounds and pence"),
    ],
)
def test_bad_money_gets_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(MoneyProblem, match=message):
        parse_money(text)


def test_money_is_read_as_pounds_and_pence() -> None:
    assert parse_money("£1,234.5") == D("1234.50")


def test_periods_overlap() -> None:
    assert calc.periods_overlap(1, None, 5, 9)
    assert not calc.periods_overlap(1, 4, 5, None)
    assert calc.periods_overlap(5, 5, 1, None)


def test_the_legal_aid_claim_is_exactly_what_the_invoices_leave_off_for_legal_aid() -> None:
    aided, freed, private = 1, 2, 3
    funding = {
        aided: calc.Funding(legally_aided=True),
        freed: calc.Funding(free_miam_and_first_session=True),
    }
    work = [
        calc.Work("miam:1", calc.MIAM, "MIAM", (aided,)),
        calc.Work("miam:2", calc.MIAM, "MIAM", (freed,)),
        calc.Work("miam:3", calc.MIAM, "MIAM", (private,)),
        calc.Work("session:1", calc.SESSION, "Session 1", (aided, freed), session_number=1),
        calc.Work("session:2", calc.SESSION, "Session 2", (aided, freed), session_number=2),
        calc.Work("outcome:1", calc.DOCUMENT, "Outcome", (aided, freed)),
        calc.Work("missed:1", calc.MISSED, "Missed", (aided,)),
    ]
    claims = {c.work.ref: [pid for pid, _ in c.parties] for c in calc.claimable(work, funding)}
    assert claims == {
        "miam:1": [aided],
        "miam:2": [freed],
        "session:1": [aided, freed],
        "session:2": [aided],
        "outcome:1": [aided],
    }
