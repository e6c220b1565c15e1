"""What each kind of case is made of: its workflow, its enquiry form and the parts that apply.

Pure Python (no Django), beside the workflows, so the model of a kind of case can be read in one
place. A *part* is a piece of Accord a mediator would name (MIAMs, the Agreement to Mediate,
rooms, financial disclosure...). Every part declares the kinds of case it applies to; pages, the
API, the portal, emails and the demo offer a part only where it applies, and its services refuse
it elsewhere (`accord.cases.progress.ensure_part_applies`).

The core parts are declared below. An app that adds a part registers it in its `AppConfig.ready`
with `register_part(Part(...))`, naming the kinds it applies to, in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.cases.workflows import WORKFLOWS, Workflow

FAMILY_KINDS = frozenset({"family_children", "family_finance", "family_all"})
#: Family cases about the children (child maintenance counts as a children issue).
CHILDREN_KINDS = frozenset({"family_children", "family_all"})
#: Family cases about money and property.
FINANCE_KINDS = frozenset({"family_finance", "family_all"})
SEND_KINDS = frozenset({"send"})
GENERAL_KINDS = frozenset({"civil", "workplace", "community"})
ALL_KINDS = FAMILY_KINDS | SEND_KINDS | GENERAL_KINDS


@dataclass(frozen=True)
class KindSpec:
    """One kind of case: how it is enquired about, the workflow it follows and its defaults."""

    code: str
    label: str
    #: "family", "send" or "general": the group whose enquiry questions and wording it uses.
    group: str
    #: Which enquiry form the service's public and staff pages show for this kind.
    enquiry_form: str
    #: The Agreement to Mediate wording group (community mediation uses the civil wording).
    agreement_wording: str
    #: The session formats allowed for this kind ("joint", "shuttle").
    session_formats: tuple[str, ...]
    #: The written outcomes this kind may have, in the order offered.
    outcome_kinds: tuple[str, ...]
    #: What an agenda item of this kind may be about (`AgendaTopic` codes); with only one, the
    #: agenda does not ask.
    agenda_topics: tuple[str, ...]
    #: An example title for an agenda topic, shown as the form's hint.
    agenda_example: str

    @property
    def workflow(self) -> Workflow:
        return WORKFLOWS[self.code]


_FAMILY_OUTCOMES = ("mou", "parenting_plan")
_FAMILY_TOPICS = ("child_arrangements", "child_maintenance", "finances", "property", "other")
_GENERAL_OUTCOMES = ("settlement", "written_agreement")

KINDS: dict[str, KindSpec] = {
    spec.code: spec
    for spec in (
        KindSpec(
            "family_children",
            "Family: child arrangements",
            "family",
            "family",
            "family",
            ("joint", "shuttle"),
            _FAMILY_OUTCOMES,
            _FAMILY_TOPICS,
            "Weekends and school holidays",
        ),
        KindSpec(
            "family_finance",
            "Family: finances",
            "family",
            "family",
            "family",
            ("joint", "shuttle"),
            ("mou",),
            _FAMILY_TOPICS,
            "The family home",
        ),
        KindSpec(
            "family_all",
            "Family: all issues",
            "family",
            "family",
            "family",
            ("joint", "shuttle"),
            _FAMILY_OUTCOMES,
            _FAMILY_TOPICS,
            "Weekends and school holidays",
        ),
        KindSpec(
            "send",
            "SEND",
            "send",
            "send",
            "send",
            ("joint",),
            ("written_agreement",),
            ("other",),
            "Speech and language therapy in section F",
        ),
        KindSpec(
            "civil",
            "Civil",
            "general",
            "general",
            "civil",
            ("joint", "shuttle"),
            _GENERAL_OUTCOMES,
            ("other",),
            "The unpaid invoice",
        ),
        KindSpec(
            "workplace",
            "Workplace",
            "general",
            "general",
            "workplace",
            ("joint", "shuttle"),
            _GENERAL_OUTCOMES,
            ("other",),
            "How we share the rota",
        ),
        KindSpec(
            "community",
            "Community",
            "general",
            "general",
            "civil",
            ("joint", "shuttle"),
            _GENERAL_OUTCOMES,
            ("other",),
            "Noise late at night",
        ),
    )
}


def kind_spec(kind: str) -> KindSpec:
    """The specification of a kind of case; ValueError naming the kind if there is none."""
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown kind of case {kind!r}.") from None


@dataclass(frozen=True)
class Part:
    """A part of Accord that applies to some kinds of case.

    `section` is the workspace section the part lives in (parts may share one); `noun` is how a
    refusal names it ("MIAMs are part of family mediation only").
    """

    code: str
    label: str
    kinds: frozenset[str]
    section: str
    noun: str = ""
    #: Order of the section in the workspace; lower first.
    order: int = 100
    #: Whether parties may learn that the part exists on their case. Screening, suitability,
    #: conflict checks, deadlines and safeguarding are the case team's alone.
    party_visible: bool = True

    @property
    def name_in_sentence(self) -> str:
        return self.noun or self.label


_PARTS: dict[str, Part] = {}


def register_part(part: Part) -> Part:
    """Register a part; registering the same part again (an app reloaded) is harmless."""
    unknown = part.kinds - ALL_KINDS
    if unknown:
        raise ValueError(f"Part {part.code}: unknown kinds {sorted(unknown)}.")
    existing = _PARTS.get(part.code)
    if existing is not None and existing != part:
        raise ValueError(f"Part {part.code} is already registered differently.")
    _PARTS[part.code] = part
    return part


def part(code: str) -> Part:
    """The registered part with this code (KeyError for a programming mistake)."""
    return _PARTS[code]


def all_parts() -> list[Part]:
    """Every registered part, in workspace order."""
    return sorted(_PARTS.values(), key=lambda p: (p.order, p.code))


def applies(kind: str, code: str) -> bool:
    """Whether the part applies to cases of this kind."""
    return kind in _PARTS[code].kinds


def parts_for(kind: str) -> list[Part]:
    """The parts that apply to a kind of case, in workspace order."""
    return [p for p in all_parts() if kind in p.kinds]


def parts_for_party(kind: str) -> list[Part]:
    """The parts a party is told about: those that apply, less the team's own."""
    return [p for p in parts_for(kind) if p.party_visible]


def kinds_with(code: str) -> frozenset[str]:
    """The kinds of case a part applies to."""
    return _PARTS[code].kinds


def kind_labels(kinds: Iterable[str]) -> str:
    """The kinds in words, in the order of KINDS: "Family: finances, Civil"."""
    wanted = set(kinds)
    return ", ".join(spec.label for code, spec in KINDS.items() if code in wanted)


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Civil" becomes "civil", "SEND" stays "SEND"."""
    first = label.split(" ", 1)[0].split(":", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def refusal(kind: str, code: str) -> str:
    """The message given when a part is asked for on a kind of case it does not apply to."""
    target = _PARTS[code]
    kinds = target.kinds
    if kinds == FAMILY_KINDS:
        where = "family mediation"
    elif kinds == CHILDREN_KINDS:
        where = "family cases about children"
    elif kinds == FINANCE_KINDS:
        where = "family cases about money and property"
    elif kinds == SEND_KINDS:
        where = "SEND mediation"
    elif kinds == FAMILY_KINDS | GENERAL_KINDS:
        where = "family, civil, workplace and community mediation"
    else:
        where = f"these kinds of case: {kind_labels(kinds)}"
    label = _in_sentence(KINDS[kind].label) if kind in KINDS else kind
    noun = target.name_in_sentence
    return f"{noun[:1].upper()}{noun[1:]} apply only to {where}; this case is {label} mediation."


# The core parts ----------------------------------------------------------------------------------
# Sections group parts in the workspace: summary, people, preparation (MIAMs, suitability,
# agreement), mediation (sessions, agenda, rooms), outcomes, safeguarding, documents, timeline.

CORE_PARTS = (
    Part(
        "conflict_check",
        "Conflict check",
        ALL_KINDS,
        "people",
        "conflict checks",
        10,
        party_visible=False,
    ),
    Part(
        "willingness",
        "Inviting the other party",
        FAMILY_KINDS | GENERAL_KINDS,
        "people",
        "invitations to the other party",
        20,
    ),
    Part("miam", "MIAMs", FAMILY_KINDS, "preparation", "MIAMs", 30),
    Part(
        "screening",
        "Risk screening",
        FAMILY_KINDS,
        "preparation",
        "risk screenings",
        31,
        party_visible=False,
    ),
    Part(
        "miam_certificate",
        "MIAM certificates",
        FAMILY_KINDS,
        "preparation",
        "MIAM certificates",
        32,
    ),
    Part(
        "funding",
        "Legal aid and vouchers",
        FAMILY_KINDS,
        "preparation",
        "legal aid and vouchers",
        33,
    ),
    Part(
        "suitability",
        "Suitability decision",
        FAMILY_KINDS | GENERAL_KINDS,
        "preparation",
        "suitability decisions",
        34,
        party_visible=False,
    ),
    Part(
        "agreement", "Agreement to Mediate", ALL_KINDS, "preparation", "Agreements to Mediate", 40
    ),
    Part("sessions", "Sessions", ALL_KINDS, "mediation", "sessions", 50),
    Part("agenda", "Agenda", ALL_KINDS, "mediation", "agendas", 51),
    Part("rooms", "Rooms", ALL_KINDS, "mediation", "rooms", 52),
    Part("outcomes", "Written outcomes", ALL_KINDS, "outcomes", "written outcomes", 60),
    Part(
        "safeguarding",
        "Safeguarding",
        ALL_KINDS,
        "safeguarding",
        "safeguarding records",
        70,
        party_visible=False,
    ),
    Part("deadlines", "Deadlines", ALL_KINDS, "summary", "deadlines", 5, party_visible=False),
    Part("documents", "Documents", ALL_KINDS, "documents", "documents", 80),
)

for _part in CORE_PARTS:
    register_part(_part)
