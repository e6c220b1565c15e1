"""What each kind of written outcome contains, money in words and figures, and pre-filling.

No Django import. A draft's sections are a plain dict (stored as JSON): text fields by key, and
for the MoU a list of agreed items, for a settlement a list of terms. Money is kept as a string
of an exact Decimal with two places ("1234.50"), parsed and formatted here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

MOU = "mou"
PARENTING_PLAN = "parenting_plan"
SETTLEMENT = "settlement"
WRITTEN_AGREEMENT = "written_agreement"

#: The header every Memorandum of Understanding carries (DOMAIN.md 2.1 step 9).
MOU_HEADER = (
    "Privileged and confidential. Written without prejudice. This memorandum records proposals "
    "reached in mediation; it is not legally binding. Each party should take independent legal "
    "advice before any agreement is made binding."
)

#: The Cafcass parenting plan headings (DOMAIN.md 2.1 step 8), key and heading.
CAFCASS_HEADINGS: tuple[tuple[str, str], ...] = (
    ("communication", "Communication and dealing with differences"),
    ("living_arrangements", "Living arrangements and time with each parent and family"),
    ("handovers", "Handovers"),
    ("holidays", "Holidays and special days"),
    ("money", "Money"),
    ("religion", "Religion"),
    ("education", "Education"),
    ("health", "Health care"),
    ("emotional_wellbeing", "Emotional wellbeing"),
    ("safety", "Safety"),
    ("review", "Review"),
)

#: Words in an item's title that place it under a Cafcass heading; first match wins.
_HEADING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("handovers", ("handover", "hand over", "collect", "pick up", "drop off")),
    ("holidays", ("holiday", "christmas", "birthday", "special day", "festival", "eid")),
    ("education", ("school", "education", "nursery", "college")),
    ("health", ("health", "doctor", "medical", "dentist")),
    ("religion", ("religio", "faith", "church", "mosque")),
    ("safety", ("safety", "safe ")),
    ("communication", ("communicat", "contact between", "messag", "phone")),
    ("emotional_wellbeing", ("wellbeing", "feelings", "counsel")),
    ("review", ("review",)),
    ("money", ("maintenance", "money", "costs", "pocket")),
)

#: What a parenting plan does with a heading under which nothing is agreed.
OMIT, TO_DISCUSS = "omit", "to_discuss"
EMPTY_HEADING_CHOICES = (
    (TO_DISCUSS, "Show it, marked “to discuss”"),
    (OMIT, "Leave it out of the plan"),
)
HEADING_KEYS = frozenset(key for key, _ in CAFCASS_HEADINGS)

#: What the parenting plan says of itself (DOMAIN.md 2.1 step 8).
PLAN_STATUS = (
    "This parenting plan is not legally binding. It is an open document: either parent may "
    "show it to a lawyer or to a court."
)
PLAN_CONSENT_ORDER = (
    "If you both want the arrangements to be legally binding, a solicitor can draft a consent "
    "order from this plan for you both to sign and send to the family court for a judge to "
    "approve (form C100 is not needed for a consent order made in existing proceedings)."
)


def plan_blocks(
    sections: dict[str, Any], attached: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The plan's headings as the document shows them: each with its agreed entries and text.

    A heading with nothing is left out or marked "to discuss", as the mediator chose;
    `attached` names headings that carry something else (the agreed schedule, the money figure).
    """
    blocks = []
    for key, heading in CAFCASS_HEADINGS:
        entries = [
            f"{item['title']}: {item['wording']}"
            for item in sections.get("items", [])
            if item.get("heading") == key
        ]
        text = str(sections.get(key) or "")
        if not entries and not text and key not in attached:
            if sections.get("empty_headings", TO_DISCUSS) == OMIT:
                continue
            blocks.append(
                {"key": key, "heading": heading, "entries": [], "text": "", "to_discuss": True}
            )
            continue
        blocks.append(
            {"key": key, "heading": heading, "entries": entries, "text": text, "to_discuss": False}
        )
    return blocks


DEFAULT_CONFIDENTIALITY = (
    "The parties agree to keep the terms of this agreement confidential, except as needed to "
    "carry them out, to take professional advice, or as the law requires."
)

#: Text sections per kind: key, heading, and whether the document needs it filled in.
TEXT_SECTIONS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    MOU: (
        ("introduction", "Introduction", False),
        ("next_steps", "Next steps", False),
    ),
    PARENTING_PLAN: tuple((key, heading, False) for key, heading in CAFCASS_HEADINGS),
    SETTLEMENT: (
        ("parties", "Parties", True),
        ("timeline", "Implementation timeline", False),
        ("confidentiality", "Confidentiality", True),
    ),
    WRITTEN_AGREEMENT: (
        ("issues_resolved", "Issues resolved", True),
        ("solutions", "Solutions", True),
        ("terms", "Terms", False),
        ("timeline", "Implementation timeline", False),
    ),
}

TEXT_LIMIT = 20_000
MAX_AMOUNT = Decimal("100000000.00")


@dataclass(frozen=True)
class AgreedItem:
    """What the outcome needs of an agreed agenda item."""

    title: str
    wording: str
    topic: str
    touches_children: bool


class MoneyError(ValueError):
    """An amount that is not pounds and pence; the message is shown to the user."""


def parse_amount(text: str) -> Decimal | None:
    """An amount in pounds, "1234.5", "£1,234.50" -> Decimal("1234.50"); blank -> None."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    if not cleaned:
        return None
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise MoneyError("Enter an amount in pounds and pence, like 1234.50.")
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise MoneyError("Enter an amount in pounds and pence, like 1234.50.") from None
    if amount >= MAX_AMOUNT:
        raise MoneyError("Enter an amount under £100,000,000.")
    return amount


def format_pounds(amount: Decimal | str | None) -> str:
    """Decimal("1234.5") -> "£1,234.50"; nothing -> ""."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return f"£{value:,.2f}"


def heading_for(item: AgreedItem) -> str:
    """The Cafcass heading an agreed item about the children belongs under."""
    if item.topic == "child_maintenance":
        return "money"
    title = item.title.lower()
    for key, words in _HEADING_WORDS:
        if any(word in title for word in words):
            return key
    return "living_arrangements"


def prefill(kind: str, items: Sequence[AgreedItem], party_names: Iterable[str]) -> dict[str, Any]:
    """A new draft's sections, filled from the agreed items and the parties' names."""
    names = list(party_names)
    if kind == MOU:
        return {
            "introduction": (
                "This memorandum summarises the proposals reached in mediation between "
                f"{_and(names)}."
                if names
                else ""
            ),
            "items": [{"title": i.title, "wording": i.wording} for i in items],
            "next_steps": "Each party should take independent legal advice on these proposals.",
        }
    if kind == PARENTING_PLAN:
        # Each agreed item about the children, under the heading the words suggest; the
        # mediator confirms or changes the heading of each. The heading texts are for anything
        # else the mediator adds.
        sections: dict[str, Any] = {key: "" for key, _ in CAFCASS_HEADINGS}
        sections["items"] = [
            {"title": i.title, "wording": i.wording, "heading": heading_for(i)}
            for i in items
            if i.touches_children
        ]
        sections["empty_headings"] = TO_DISCUSS
        sections["review_date"] = ""
        return sections
    if kind == SETTLEMENT:
        return {
            "parties": "\n".join(names),
            "terms": [
                {"description": f"{i.title}: {i.wording}", "amount": "", "due_date": "", "who": ""}
                for i in items
            ],
            "timeline": "",
            "confidentiality": DEFAULT_CONFIDENTIALITY,
        }
    if kind == WRITTEN_AGREEMENT:
        return {
            "issues_resolved": "\n".join(i.title for i in items),
            "solutions": "\n\n".join(f"{i.title}: {i.wording}" for i in items),
            "terms": "",
            "timeline": "",
        }
    raise ValueError(f"Unknown outcome kind {kind!r}.")


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def clean_sections(kind: str, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate edited sections: the cleaned sections and field errors (keyed as the form's).

    Items are `item_<n>_title`/`item_<n>_wording`; terms `term_<n>_description`, `_amount`,
    `_due_date` (ISO date or a date) and `_who`, numbered from 1. Blank rows are dropped.
    """
    errors: dict[str, list[str]] = {}
    sections: dict[str, Any] = {}
    for key, heading, required in TEXT_SECTIONS[kind]:
        text = str(raw.get(key) or "").strip()
        if required and not text:
            errors[key] = [f"Enter the {heading.lower()}."]
        elif len(text) > TEXT_LIMIT:
            errors[key] = [f"Use {TEXT_LIMIT:,} characters or fewer."]
        sections[key] = text
    if kind == PARENTING_PLAN:
        sections["items"] = []
        for n in _numbers(raw, "item"):
            title = str(raw.get(f"item_{n}_title") or "").strip()
            wording = str(raw.get(f"item_{n}_wording") or "").strip()
            heading = str(raw.get(f"item_{n}_heading") or "").strip()
            if not title and not wording:
                continue
            if not wording:
                errors[f"item_{n}_wording"] = ["Enter the wording, or clear the title too."]
            if not title:
                errors[f"item_{n}_title"] = ["Enter a title for this agreed item."]
            if heading not in HEADING_KEYS:
                errors[f"item_{n}_heading"] = ["Choose the heading this item goes under."]
            sections["items"].append({"title": title, "wording": wording, "heading": heading})
        empty = str(raw.get("empty_headings") or TO_DISCUSS)
        if empty not in (OMIT, TO_DISCUSS):
            errors["empty_headings"] = ["Choose whether empty headings are left out or shown."]
        sections["empty_headings"] = empty
        review = raw.get("review_date")
        sections["review_date"] = ""
        if isinstance(review, dt.date):
            sections["review_date"] = review.isoformat()
        elif isinstance(review, str) and review.strip():
            try:
                sections["review_date"] = dt.date.fromisoformat(review.strip()).isoformat()
            except ValueError:
                errors["review_date"] = ["Enter a real date, for example 31/12/2027."]
    if kind == MOU:
        sections["items"] = []
        for n in _numbers(raw, "item"):
            title = str(raw.get(f"item_{n}_title") or "").strip()
            wording = str(raw.get(f"item_{n}_wording") or "").strip()
            if not title and not wording:
                continue
            if not wording:
                errors[f"item_{n}_wording"] = ["Enter the wording, or clear the title too."]
            if not title:
                errors[f"item_{n}_title"] = ["Enter a heading for this wording."]
            sections["items"].append({"title": title, "wording": wording})
    if kind == SETTLEMENT:
        sections["terms"] = []
        for n in _numbers(raw, "term"):
            term, term_errors = _clean_term(raw, n)
            errors.update(term_errors)
            if term is not None:
                sections["terms"].append(term)
        if not sections["terms"] and not any(k.startswith("term_") for k in errors):
            errors["term_1_description"] = ["Enter at least one term."]
    return sections, errors


def _clean_term(raw: dict[str, Any], n: int) -> tuple[dict[str, str] | None, dict[str, list[str]]]:
    prefix = f"term_{n}_"
    description = str(raw.get(prefix + "description") or "").strip()
    amount_text = str(raw.get(prefix + "amount") or "")
    due = raw.get(prefix + "due_date")
    who = str(raw.get(prefix + "who") or "").strip()
    if not (description or amount_text.strip() or due or who):
        return None, {}
    errors: dict[str, list[str]] = {}
    if not description:
        errors[prefix + "description"] = ["Describe what is agreed in this term."]
    amount = ""
    try:
        parsed = parse_amount(amount_text)
        amount = "" if parsed is None else str(parsed)
    except MoneyError as exc:
        errors[prefix + "amount"] = [str(exc)]
    due_text = ""
    if isinstance(due, dt.date):
        due_text = due.isoformat()
    elif isinstance(due, str) and due.strip():
        try:
            due_text = dt.date.fromisoformat(due.strip()).isoformat()
        except ValueError:
            errors[prefix + "due_date"] = ["Enter a real date, for example 31/12/2026."]
    term = {"description": description, "amount": amount, "due_date": due_text, "who": who}
    return term, errors


def _numbers(raw: dict[str, Any], prefix: str) -> list[int]:
    found = set()
    for key in raw:
        match = re.fullmatch(rf"{prefix}_(\d+)_\w+", key)
        if match:
            found.add(int(match.group(1)))
    return sorted(found)


def as_fields(kind: str, sections: dict[str, Any]) -> dict[str, Any]:
    """A draft's sections flattened to the form's field names (the inverse of clean_sections)."""
    fields: dict[str, Any] = {key: sections.get(key, "") for key, _, _ in TEXT_SECTIONS[kind]}
    for n, item in enumerate(sections.get("items", []) if kind == MOU else [], start=1):
        fields[f"item_{n}_title"], fields[f"item_{n}_wording"] = item["title"], item["wording"]
    if kind == PARENTING_PLAN:
        for n, item in enumerate(sections.get("items", []), start=1):
            fields[f"item_{n}_title"] = item.get("title", "")
            fields[f"item_{n}_wording"] = item.get("wording", "")
            fields[f"item_{n}_heading"] = item.get("heading", "")
        fields["empty_headings"] = sections.get("empty_headings", TO_DISCUSS)
        review = sections.get("review_date") or ""
        fields["review_date"] = dt.date.fromisoformat(review) if review else None
    for n, term in enumerate(sections.get("terms", []) if kind == SETTLEMENT else [], start=1):
        for part in ("description", "amount", "due_date", "who"):
            fields[f"term_{n}_{part}"] = term.get(part, "")
    return fields
