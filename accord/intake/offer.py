"""Which enquiry forms a service shows, from the kinds of case it offers.

Pure Python (no Django). A service offering any family kind has one family form (the issues
chosen decide the kind of family case); SEND has its own form; civil, workplace and community
share the general questions, with one form per kind so that a public link names the kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.cases.kinds import FAMILY_KINDS, GENERAL_KINDS, KINDS, SEND_KINDS

#: Every form code a URL may name; "general" asks which of the service's general kinds it is.
FORM_CODES = ("family", "send", "civil", "workplace", "community", "general")


@dataclass(frozen=True)
class EnquiryFormChoice:
    """One enquiry form a service offers: its code in URLs, its name and the kinds it opens."""

    code: str
    label: str
    #: "family", "send" or "general": which questions the form asks.
    group: str
    kinds: tuple[str, ...]


def kinds_for_form(code: str, offered: Iterable[str]) -> tuple[str, ...]:
    """The kinds of case the form may open at a service offering `offered`; () if none."""
    wanted = set(offered)
    if code == "family":
        pool: frozenset[str] = FAMILY_KINDS
    elif code == "send":
        pool = SEND_KINDS
    elif code == "general":
        pool = GENERAL_KINDS
    elif code in GENERAL_KINDS:
        pool = frozenset({code})
    else:
        return ()
    return tuple(kind for kind in KINDS if kind in pool and kind in wanted)


def group_of(code: str) -> str:
    """The questions a form code asks: "family", "send" or "general"."""
    if code in ("family", "send"):
        return code
    return "general"


def form_choices(offered: Iterable[str]) -> list[EnquiryFormChoice]:
    """The enquiry forms a service offering these kinds shows, family first, one per kind after."""
    offered = list(offered)
    choices = []
    family = kinds_for_form("family", offered)
    if family:
        choices.append(EnquiryFormChoice("family", "Family mediation", "family", family))
    if kinds_for_form("send", offered):
        choices.append(EnquiryFormChoice("send", "SEND mediation", "send", ("send",)))
    for kind in kinds_for_form("general", offered):
        choices.append(
            EnquiryFormChoice(kind, f"{KINDS[kind].label} mediation", "general", (kind,))
        )
    return choices
