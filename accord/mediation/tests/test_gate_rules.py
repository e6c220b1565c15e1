"""The pure suitability gate (accord.mediation.gate): examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.mediation.gate import (
    JOINT,
    NOT_SUITABLE,
    PARTY_JOINT_ROOM_CLOSED,
    PARTY_ROOMS_CLOSED,
    PENDING_SCREENING,
    SHUTTLE,
    GateFacts,
    is_stricter,
    room_verdict,
    session_verdict,
)

FAMILY = {"suitability_applies": True, "miam_applies": True}


def facts(**kw: object) -> GateFacts:
    data: dict[str, object] = {**FAMILY, "decision": JOINT}
    data.update(kw)
    return GateFacts(**data)  # type: ignore[arg-type]


def test_joint_decision_allows_both_formats() -> None:
    assert session_verdict(facts(), JOINT).allowed
    assert session_verdict(facts(), SHUTTLE).allowed


def test_shuttle_decision_refuses_joint_sessions_only() -> None:
    verdict = session_verdict(facts(decision=SHUTTLE), JOINT)
    assert not verdict.allowed
    assert "shuttle mediation" in verdict.reason and "joint session" in verdict.reason
    assert session_verdict(facts(decision=SHUTTLE), SHUTTLE).allowed


def test_not_suitable_refuses_every_session() -> None:
    for fmt in (JOINT, SHUTTLE):
        verdict = session_verdict(facts(decision=NOT_SUITABLE), fmt)
        assert not verdict.allowed and "not suitable" in verdict.reason


def test_no_decision_refuses_where_suitability_applies() -> None:
    verdict = session_verdict(facts(decision=None), SHUTTLE)
    assert not verdict.allowed and "suitability decision" in verdict.reason


def test_send_is_not_gated_by_suitability_but_keeps_its_formats() -> None:
    send = GateFacts(suitability_applies=False, miam_applies=False, decision=None, formats=(JOINT,))
    assert session_verdict(send, JOINT).allowed
    refused = session_verdict(send, SHUTTLE)
    assert not refused.allowed and "not offered" in refused.reason


def test_family_miams_must_all_be_held() -> None:
    verdict = session_verdict(facts(parties_without_miam=("Bob Jones",)), SHUTTLE)
    assert not verdict.allowed and "Bob Jones" in verdict.reason and "MIAM" in verdict.reason
    general = facts(miam_applies=False, parties_without_miam=("Bob Jones",))
    assert session_verdict(general, JOINT).allowed


def test_override_lifts_route_and_miam_rules_but_not_a_missing_decision_or_screening() -> None:
    assert session_verdict(facts(decision=SHUTTLE, override=True), JOINT).allowed
    assert session_verdict(facts(decision=NOT_SUITABLE, override=True), SHUTTLE).allowed
    assert session_verdict(facts(parties_without_miam=("A",), override=True), JOINT).allowed
    assert not session_verdict(facts(decision=None, override=True), JOINT).allowed
    pending = session_verdict(facts(stricter_screening_pending=True, override=True), SHUTTLE)
    assert pending.reason == PENDING_SCREENING


def test_rooms_for_parties() -> None:
    assert room_verdict(facts(), "joint", is_staff=False).allowed
    shuttle = facts(decision=SHUTTLE)
    assert room_verdict(shuttle, "joint", is_staff=False).reason == PARTY_JOINT_ROOM_CLOSED
    assert room_verdict(shuttle, "private", is_staff=False).allowed
    unsuitable = facts(decision=NOT_SUITABLE)
    for kind in ("joint", "private"):
        assert room_verdict(unsuitable, kind, is_staff=False).reason == PARTY_ROOMS_CLOSED
        assert room_verdict(unsuitable, kind, is_staff=True).allowed
    assert not room_verdict(facts(decision=None), "joint", is_staff=False).allowed
    assert room_verdict(facts(decision=None), "private", is_staff=False).allowed
    pending = facts(stricter_screening_pending=True)
    assert not room_verdict(pending, "joint", is_staff=False).allowed


def test_party_reasons_never_mention_screening() -> None:
    for reason in (PARTY_JOINT_ROOM_CLOSED, PARTY_ROOMS_CLOSED):
        assert "screen" not in reason.lower() and "suitab" not in reason.lower()


def test_stricter() -> None:
    assert is_stricter("shuttle", "joint")
    assert is_stricter("refer", "not_suitable")
    assert not is_stricter("joint", "shuttle")
    assert not is_stricter("shuttle", "shuttle")
    assert not is_stricter("not_suitable", None)


any_facts = st.builds(
    GateFacts,
    suitability_applies=st.just(True),
    miam_applies=st.booleans(),
    decision=st.sampled_from([None, JOINT, SHUTTLE, NOT_SUITABLE]),
    parties_without_miam=st.lists(st.sampled_from(["Alice", "Bob"]), max_size=2).map(tuple),
    stricter_screening_pending=st.booleans(),
    override=st.booleans(),
    formats=st.just((JOINT, SHUTTLE)),
)


@given(any_facts)
def test_never_a_joint_session_on_shuttle_or_not_suitable_without_override(f: GateFacts) -> None:
    if f.decision in (SHUTTLE, NOT_SUITABLE, None) and not f.override:
        assert not session_verdict(f, JOINT).allowed
        assert not room_verdict(f, "joint", is_staff=False).allowed


@given(any_facts, st.sampled_from([JOINT, SHUTTLE]))
def test_nothing_is_allowed_while_a_stricter_screening_awaits_a_decision(
    f: GateFacts, fmt: str
) -> None:
    if f.stricter_screening_pending:
        assert not session_verdict(f, fmt).allowed
        assert not room_verdict(f, "joint", is_staff=False).allowed


@given(any_facts, st.sampled_from([JOINT, SHUTTLE]))
def test_a_refusal_always_says_why(f: GateFacts, fmt: str) -> None:
    verdict = session_verdict(f, fmt)
    assert verdict.allowed == (verdict.reason == "")


@given(any_facts, st.sampled_from(["joint", "private"]))
def test_staff_are_never_refused_in_rooms(f: GateFacts, kind: str) -> None:
    assert room_verdict(f, kind, is_staff=True).allowed
