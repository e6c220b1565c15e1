"""What the suitability decision, MIAMs and screening allow to be booked: pure Python, no Django.

The safety gate of DOMAIN.md section 2.1 steps 3-4 and the FMC Code (screening throughout):

- Where the suitability part applies (family, civil, workplace, community), no session is booked
  or started without a decision. A *joint* session, and a party writing in the joint room, need a
  decision of *joint*. *Shuttle* allows shuttle sessions and private rooms only. *Not suitable*
  allows no session, and parties may write in no room.
- Where the suitability part does not apply (SEND), sessions are not gated by it.
- On family cases (where MIAMs apply) no session until every party's MIAM is held.
- A newer screening suggesting a stricter route than the decision in force blocks new sessions
  (and parties' joint-room messages) until a newer decision is recorded.
- An accredited mediator's override, recorded with a reason against the decision in force, lifts
  the route and MIAM rules while that decision is current. It never replaces a missing decision,
  and it does not lift the block of a stricter screening made after it: that needs a decision.
- A format the kind of case does not offer (SEND: joint only) is refused whatever else holds.

Callers gather the facts (`GateFacts`) from the database; this module only decides and words it.
Staff are never gated in rooms: the mediators must always be able to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

JOINT, SHUTTLE, NOT_SUITABLE, REFER = "joint", "shuttle", "not_suitable", "refer"
#: Routes from least to most protective; a screening's "refer" is stricter than any decision.
STRICTNESS = {JOINT: 0, SHUTTLE: 1, NOT_SUITABLE: 2, REFER: 3}
ROUTE_WORDS = {JOINT: "joint mediation", SHUTTLE: "shuttle mediation", NOT_SUITABLE: "not suitable"}
FORMAT_WORDS = {JOINT: "joint", SHUTTLE: "shuttle"}
JOINT_ROOM, PRIVATE_ROOM = "joint", "private"


def is_stricter(suggested: str, decided: str | None) -> bool:
    """Whether a screening's suggested route is more protective than the decision in force.

    With no decision in force there is nothing to be stricter than (sessions are refused anyway).
    """
    if decided is None:
        return False
    return STRICTNESS[suggested] > STRICTNESS[decided]


@dataclass(frozen=True)
class GateFacts:
    """What the gate needs to know about a case, gathered by the caller."""

    #: Whether the suitability part applies to the kind of case.
    suitability_applies: bool
    #: Whether MIAMs apply (family cases): then every party's MIAM must be held.
    miam_applies: bool
    #: The route of the decision in force, or None.
    decision: str | None
    #: The names of the parties whose MIAM is not yet recorded as held.
    parties_without_miam: Sequence[str] = ()
    #: Whether a screening newer than the decision suggests a stricter route.
    stricter_screening_pending: bool = False
    #: Whether an accredited mediator's override of the decision in force is recorded.
    override: bool = False
    #: The session formats the kind of case offers.
    formats: Sequence[str] = (JOINT, SHUTTLE)


@dataclass(frozen=True)
class Verdict:
    """Allowed, or refused with the reason to show."""

    allowed: bool
    reason: str = ""


ALLOWED = Verdict(True)

PENDING_SCREENING = (
    "A newer screening suggests a more protective route than the suitability decision: "
    "record a new suitability decision before booking or starting any session."
)
NO_DECISION = "Record the suitability decision before booking or starting any session."


def _refused(reason: str) -> Verdict:
    return Verdict(False, reason)


def session_verdict(facts: GateFacts, session_format: str) -> Verdict:
    """Whether a session of this format may be booked or started on the case."""
    if session_format not in facts.formats:
        offered = " or ".join(FORMAT_WORDS.get(f, f) for f in facts.formats)
        return _refused(
            f"{FORMAT_WORDS.get(session_format, session_format).capitalize()} sessions are not "
            f"offered for this kind of case: book a {offered} session."
        )
    if not facts.suitability_applies:
        return ALLOWED
    if facts.decision is None:
        return _refused(NO_DECISION)
    if facts.stricter_screening_pending:
        return _refused(PENDING_SCREENING)
    if facts.override:
        return ALLOWED
    if facts.decision == NOT_SUITABLE:
        return _refused(
            "The suitability decision is that mediation is not suitable, so no session can be "
            "booked or started (an accredited mediator may record an override with a reason)."
        )
    if session_format == JOINT and facts.decision != JOINT:
        return _refused(
            "The suitability decision is shuttle mediation: only shuttle sessions can be booked "
            "or started, not a joint session (an accredited mediator may record an override "
            "with a reason)."
        )
    if facts.miam_applies and facts.parties_without_miam:
        names = ", ".join(facts.parties_without_miam)
        return _refused(
            f"No session until every party's MIAM is held; still to be held for: {names}."
        )
    return ALLOWED


#: What a party is told when refused: no reasons that would reveal screening or safeguarding.
PARTY_JOINT_ROOM_CLOSED = (
    "The joint room is not open for messages on this case. "
    "You can write to your mediator in your private room."
)
PARTY_ROOMS_CLOSED = "Messages cannot be sent in this case's rooms. Please contact your mediator."


def room_verdict(facts: GateFacts, room_kind: str, *, is_staff: bool) -> Verdict:
    """Whether the writer (a case mediator when `is_staff`, else a party) may post in the room.

    A party in the joint room needs a decision of joint (or an override) and no stricter
    screening awaiting a decision; on not suitable, a party may write in no room. Private rooms
    are open to their party on joint and shuttle, and before any decision (to reach the mediator).
    The reasons for parties never mention screening or the decision's grounds.
    """
    if is_staff or not facts.suitability_applies:
        return ALLOWED
    lifted = facts.override and facts.decision is not None
    if facts.decision == NOT_SUITABLE and not lifted:
        return _refused(PARTY_ROOMS_CLOSED)
    if room_kind != JOINT_ROOM:
        return ALLOWED
    if facts.decision is None or facts.stricter_screening_pending:
        return _refused(PARTY_JOINT_ROOM_CLOSED)
    if facts.decision != JOINT and not lifted:
        return _refused(PARTY_JOINT_ROOM_CLOSED)
    return ALLOWED
