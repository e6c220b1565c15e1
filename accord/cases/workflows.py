"""The stages of each kind of case and the moves allowed between them, as data.

Pure Python (no Django) so that the workflow can be read, tested and documented on its own.
A move to "closed" is allowed from every open stage; reopening is listed explicitly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stage:
    """One stage of a case: its code, its label and what usually happens next."""

    code: str
    label: str
    next_step: str


@dataclass(frozen=True)
class Workflow:
    """The ordered stages of one kind of case and the moves allowed between them."""

    name: str
    stages: tuple[Stage, ...]
    moves: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    #: Events recorded elsewhere in Accord, and the stage a case is in once they have happened.
    implied: tuple[tuple[str, str], ...] = ()

    @property
    def first(self) -> Stage:
        return self.stages[0]

    def stage(self, code: str) -> Stage:
        """The stage with this code, or KeyError."""
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def has_stage(self, code: str) -> bool:
        return any(stage.code == code for stage in self.stages)

    def allowed_from(self, code: str) -> tuple[Stage, ...]:
        """Stages a case may move to from this one, in workflow order."""
        targets = {to for (frm, to) in self.moves if frm == code}
        return tuple(stage for stage in self.stages if stage.code in targets)

    def allows(self, from_code: str, to_code: str) -> bool:
        return (from_code, to_code) in self.moves

    def position(self, code: str) -> int:
        """Where a stage comes in the workflow (0 first); ValueError for an unknown stage."""
        for index, stage in enumerate(self.stages):
            if stage.code == code:
                return index
        raise ValueError(code)

    def stage_implied_by(self, event: str) -> str | None:
        """The stage a case is in once this event has happened, or None if it implies none."""
        return dict(self.implied).get(event)

    def advances(self, from_code: str, to_code: str) -> bool:
        """Whether an event may move a case on from one stage to the other by itself.

        Only forwards, between open stages: the event proves that the stages in between were
        done another way (a MIAM booked before anyone moved the case on from the enquiry).
        Closing and reopening are never automatic.
        """
        if CLOSED.code in (from_code, to_code) or not self.has_stage(to_code):
            return False
        return self.position(to_code) > self.position(from_code)


CLOSED = Stage("closed", "Closed", "Nothing further: the case is closed.")


#: The events that imply a stage. Services that record them call
#: `accord.cases.progress.case_advance(event=...)`; each workflow maps the events it knows.
EVENTS = {
    "other_party_invited": "The other party was invited to mediation",
    "miam_booked": "A MIAM was booked",
    "miams_held": "Every party's MIAM was held",
    "suitability_decided": "The suitability decision was recorded: mediation can go ahead",
    "agreement_signed": "Everyone signed the Agreement to Mediate",
    "session_booked": "A session was booked",
    "session_started": "A session started",
    "outcome_issued": "A written outcome was issued",
    "send_mediation_wanted": "The family told the mediation adviser they want mediation",
    "send_mediation_declined": "The family told the mediation adviser they do not want mediation",
    "send_meeting_held": "The SEND mediation meeting was held",
}


def _build(
    name: str,
    stages: list[Stage],
    extra: list[tuple[str, str]],
    implied: dict[str, str] | None = None,
) -> Workflow:
    """A workflow whose stages run in order, may close from any open stage, plus extra moves."""
    codes = [stage.code for stage in stages]
    moves = set(itertools.pairwise(codes))
    moves.update((code, CLOSED.code) for code in codes)
    moves.update(extra)
    all_stages = (*stages, CLOSED)
    known = {stage.code for stage in all_stages}
    for frm, to in moves:
        if frm not in known or to not in known or frm == to:
            raise ValueError(f"Workflow {name}: bad move {frm} -> {to}")
    for event, to in (implied or {}).items():
        if event not in EVENTS or to not in known or to == CLOSED.code:
            raise ValueError(f"Workflow {name}: bad implied stage {event} -> {to}")
    return Workflow(
        name=name,
        stages=all_stages,
        moves=frozenset(moves),
        implied=tuple(sorted((implied or {}).items())),
    )


FAMILY = _build(
    "Family mediation",
    [
        Stage("enquiry", "Enquiry", "Record the enquiry and run the conflict check."),
        Stage(
            "willingness",
            "Inviting the other party",
            "Invite the other party and record their answer.",
        ),
        Stage("miam", "MIAM", "Book and hold a MIAM with each party."),
        Stage("suitability", "Suitability decision", "Decide: joint, shuttle or not suitable."),
        Stage(
            "agreement",
            "Agreement to Mediate",
            "Collect every party's signed Agreement to Mediate.",
        ),
        Stage("mediation", "Mediation sessions", "Book and hold joint or shuttle sessions."),
        Stage("outcome", "Written outcome", "Draft, approve and share the outcome documents."),
    ],
    [
        ("enquiry", "miam"),
        ("outcome", "mediation"),
        ("closed", "mediation"),
    ],
    {
        "other_party_invited": "willingness",
        "miam_booked": "miam",
        "miams_held": "suitability",
        "suitability_decided": "agreement",
        "agreement_signed": "mediation",
        "session_started": "mediation",
        "outcome_issued": "outcome",
    },
)

SEND = _build(
    "SEND mediation",
    [
        Stage(
            "enquiry",
            "Mediation advice",
            "Give mediation advice within 2 months of the LA decision.",
        ),
        Stage("arranging", "Arranging mediation", "Arrange the meeting within 30 days."),
        Stage("preparation", "Preparation", "Call each participant and share evidence."),
        Stage("meeting", "Mediation meeting", "Hold the meeting under the Terms of Engagement."),
        Stage("outcome", "Written agreement", "Write up and share the agreed actions."),
        Stage("certificate", "Certificate", "Issue the certificate within 3 working days."),
    ],
    [
        ("enquiry", "certificate"),
        ("arranging", "certificate"),
        ("meeting", "certificate"),
    ],
    {
        "send_mediation_wanted": "arranging",
        "send_mediation_declined": "certificate",
        "session_booked": "preparation",
        "session_started": "meeting",
        "send_meeting_held": "outcome",
        "outcome_issued": "certificate",
    },
)


def _general(name: str) -> Workflow:
    return _build(
        name,
        [
            Stage("enquiry", "Enquiry", "Record the enquiry and run the conflict check."),
            Stage(
                "suitability", "Suitability", "Talk to each party and decide whether to go ahead."
            ),
            Stage(
                "agreement",
                "Agreement to Mediate",
                "Collect every party's signed Agreement to Mediate.",
            ),
            Stage("preparation", "Preparation", "Collect position statements and documents."),
            Stage("mediation", "Mediation", "Hold the mediation day: joint and private sessions."),
            Stage(
                "outcome", "Settlement", "Write up and sign the settlement or record no settlement."
            ),
        ],
        [("outcome", "mediation"), ("closed", "mediation")],
        {
            "suitability_decided": "agreement",
            "agreement_signed": "preparation",
            "session_started": "mediation",
            "outcome_issued": "outcome",
        },
    )


CIVIL = _general("Civil mediation")
WORKPLACE = _general("Workplace mediation")
COMMUNITY = _general("Community mediation")

#: Workflow for each case kind (the keys are CaseKind values).
WORKFLOWS: dict[str, Workflow] = {
    "family_children": FAMILY,
    "family_finance": FAMILY,
    "family_all": FAMILY,
    "send": SEND,
    "civil": CIVIL,
    "workplace": WORKPLACE,
    "community": COMMUNITY,
}


def workflow_for(kind: str) -> Workflow:
    """The workflow that governs a kind of case."""
    try:
        return WORKFLOWS[kind]
    except KeyError:
        raise ValueError(f"Unknown case kind {kind!r}.") from None
