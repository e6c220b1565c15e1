"""Suggest a mediation route from a party's screening answers: pure Python, no Django.

The mediator decides; this only reads the answers the way FMC screening guidance does, from the
most protective end down, and says why. Routes are ordered by how much protection they give, and
a worse answer never suggests a less protective route (the tests check this property).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

YES, NO, UNSURE = "yes", "no", "unsure"
ANSWERS = (YES, NO, UNSURE)


class Route(IntEnum):
    """A suggested route, ordered from least to most protective."""

    JOINT = 0
    SHUTTLE = 1
    NOT_SUITABLE = 2
    REFER = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self]


ROUTE_LABELS = {
    Route.JOINT: "Joint mediation",
    Route.SHUTTLE: "Shuttle mediation",
    Route.NOT_SUITABLE: "Not suitable for mediation",
    Route.REFER: "Refer to specialist support",
}


@dataclass(frozen=True)
class Answers:
    """One party's screening answers: each question yes, no or unsure, and protective orders."""

    physical_abuse: str = NO
    emotional_abuse: str = NO
    coercive_control: str = NO
    financial_abuse: str = NO
    fear_of_other_party: str = NO
    risk_to_children: str = NO
    childrens_services: str = NO
    police_or_court: str = NO
    injunction: bool = False
    non_molestation_order: bool = False
    bail_conditions: bool = False

    def __post_init__(self) -> None:
        for name in (
            "physical_abuse",
            "emotional_abuse",
            "coercive_control",
            "financial_abuse",
            "fear_of_other_party",
            "risk_to_children",
            "childrens_services",
            "police_or_court",
        ):
            if getattr(self, name) not in ANSWERS:
                raise ValueError(f"{name} must be one of {ANSWERS}.")


@dataclass(frozen=True)
class Suggestion:
    """A suggested route and the reasons for it, most serious first."""

    route: Route
    reasons: tuple[str, ...]


_QUESTIONS = (
    ("physical_abuse", "physical abuse"),
    ("coercive_control", "coercive control"),
    ("emotional_abuse", "emotional abuse"),
    ("financial_abuse", "financial abuse"),
)


def suggest_route(answers: Answers) -> Suggestion:
    """The most protective route any answer calls for, with every reason that applies."""
    route = Route.JOINT
    reasons: list[tuple[Route, str]] = []

    def flag(level: Route, reason: str) -> None:
        nonlocal route
        route = max(route, level)
        reasons.append((level, reason))

    severe = answers.physical_abuse == YES or answers.coercive_control == YES
    if answers.risk_to_children == YES:
        flag(Route.REFER, "A risk to the children was reported: consider a safeguarding concern.")
    elif answers.risk_to_children == UNSURE:
        flag(Route.SHUTTLE, "The party was unsure whether the children are at risk.")
    if severe and answers.fear_of_other_party == YES:
        flag(
            Route.REFER,
            "Physical abuse or coercive control together with fear of the other party: "
            "refer to specialist domestic abuse support.",
        )
    if answers.injunction or answers.non_molestation_order or answers.bail_conditions:
        flag(
            Route.NOT_SUITABLE,
            "An injunction, non-molestation order or bail conditions may forbid contact.",
        )
    for name, words in _QUESTIONS:
        value = getattr(answers, name)
        if value == YES:
            serious = name in ("physical_abuse", "coercive_control")
            flag(
                Route.NOT_SUITABLE if serious else Route.SHUTTLE,
                f"The party reported {words}.",
            )
        elif value == UNSURE:
            flag(Route.SHUTTLE, f"The party was unsure about {words}.")
    if answers.fear_of_other_party == YES:
        flag(Route.SHUTTLE, "The party is afraid of the other party.")
    elif answers.fear_of_other_party == UNSURE:
        flag(Route.SHUTTLE, "The party was unsure whether they fear the other party.")
    if answers.childrens_services in (YES, UNSURE):
        flag(Route.SHUTTLE, "Children's services are or may be involved with the family.")
    if answers.police_or_court in (YES, UNSURE):
        flag(Route.SHUTTLE, "The police or a court are or may be involved.")
    if not reasons:
        return Suggestion(Route.JOINT, ("No risk indicators were reported.",))
    ordered = sorted(reasons, key=lambda item: -item[0])
    return Suggestion(route, tuple(reason for _, reason in ordered))


def combine(suggestions: Iterable[Suggestion]) -> Suggestion | None:
    """The case-level suggestion: the most protective route any party's screening calls for."""
    items = list(suggestions)
    if not items:
        return None
    route = max(item.route for item in items)
    reasons = tuple(dict.fromkeys(r for item in items if item.route == route for r in item.reasons))
    return Suggestion(route, reasons)
