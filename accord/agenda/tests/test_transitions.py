"""The pure rules for moving agenda items between statuses."""

from __future__ import annotations

from accord.agenda import transitions as t


def test_the_lifecycle_moves_forward_one_step_at_a_time():
    assert t.allowed_moves(t.OPEN) == [t.EXPLORING, t.PARKED]
    assert t.allowed_moves(t.PROPOSAL) == [t.OPTIONS, t.AGREED, t.NOT_AGREED, t.PARKED]
    assert t.move_problems(from_status=t.OPEN, to_status=t.AGREED, wording="x", reason="") == {
        "to_status": "An item cannot move straight from its status to that one."
    }


def test_any_item_may_be_parked_and_a_parked_item_only_reopens():
    for status in t.STATUSES:
        if status != t.PARKED:
            assert t.PARKED in t.ALLOWED[status]
    assert t.allowed_moves(t.PARKED) == [t.OPEN]


def test_not_agreed_goes_back_to_exploring():
    assert (
        t.move_problems(from_status=t.NOT_AGREED, to_status=t.EXPLORING, wording="", reason="")
        == {}
    )


def test_agreeing_needs_the_wording():
    problems = t.move_problems(from_status=t.PROPOSAL, to_status=t.AGREED, wording=" ", reason="")
    assert problems == {"agreed_wording": "Enter the wording the parties agreed."}
    assert (
        t.move_problems(
            from_status=t.PROPOSAL, to_status=t.AGREED, wording="Alternate weekends", reason=""
        )
        == {}
    )


def test_reopening_an_agreed_item_needs_a_reason():
    problems = t.move_problems(from_status=t.AGREED, to_status=t.EXPLORING, wording="", reason="")
    assert problems == {"note": "Give the reason for reopening an agreed item."}
    assert (
        t.move_problems(
            from_status=t.AGREED, to_status=t.PARKED, wording="", reason="Waiting for valuation"
        )
        == {}
    )


def test_unknown_and_unchanged_statuses_are_refused():
    assert "to_status" in t.move_problems(
        from_status=t.OPEN, to_status="done", wording="", reason=""
    )
    assert "to_status" in t.move_problems(
        from_status=t.OPEN, to_status=t.OPEN, wording="", reason=""
    )
