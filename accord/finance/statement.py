"""The Open Financial Statement and the asset schedule, from the shared disclosures.

Built from what each party shared (the snapshots both parties have seen), never from unshared
changes: the statement is open information that both parties and, later, a court may read. It
lists every asset, liability, pension (kept apart from capital, as practitioners do), income and
outgoing of both parties, with each item's share by owner, totals by owner and in all, whether
its evidence was seen, and its valuation date.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.finance.models import CAPITAL_PARTS, Disclosure, FormEPart
from accord.finance.money import pence_to_decimal, pence_to_pounds

STATEMENT_CODE = "open-financial-statement"

#: The statement's sections, in order: (key, title, Form E parts).
SECTIONS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("capital", "Capital: property, accounts, investments and other assets", CAPITAL_PARTS),
    ("liabilities", "Liabilities", frozenset({"liabilities"})),
    (
        "pensions",
        "Pensions (cash equivalent transfer values, kept apart from capital)",
        frozenset({"pensions"}),
    ),
    ("income", "Income (net, per year)", frozenset({"income"})),
    ("outgoings", "Monthly outgoings", frozenset({"outgoings"})),
    ("capital_needs", "Capital needs", frozenset({"capital_needs"})),
    (
        "held_for_others",
        "Assets held for someone else (not counted)",
        frozenset({"held_for_others"}),
    ),
)
_PART_LABELS = dict(FormEPart.choices)


@dataclass
class Row:
    disclosed_by: str
    part: str
    description: str
    owner: str
    value_pence: int
    a_pence: int
    b_pence: int
    valuation_date: str
    evidence_seen: bool
    note: str

    def as_text(self) -> dict[str, str]:
        return {
            "disclosed_by": self.disclosed_by,
            "part": _PART_LABELS.get(self.part, self.part),
            "description": self.description,
            "owner": self.owner,
            "value": pence_to_pounds(self.value_pence),
            "a": pence_to_pounds(self.a_pence),
            "b": pence_to_pounds(self.b_pence),
            "date": self.valuation_date,
            "evidence": "seen" if self.evidence_seen else "not seen",
            "note": self.note,
        }


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total_a(self) -> int:
        return sum(r.a_pence for r in self.rows)

    @property
    def total_b(self) -> int:
        return sum(r.b_pence for r in self.rows)

    @property
    def total(self) -> int:
        return sum(r.value_pence for r in self.rows)


def _split(value: int, owner: str, share_a: str) -> tuple[int, int]:
    if owner == "a":
        return value, 0
    if owner == "b":
        return 0, value
    a = int((Decimal(value) * Decimal(share_a) / 100).to_integral_value())
    return a, value - a


def statement_sections(case: Case) -> tuple[list[Section], dict[str, str], list[Disclosure]]:
    """The sections from both parties' shared disclosures; ValidationFailed until both shared."""
    from accord.finance.services import party_letters

    letters = party_letters(case)
    disclosures = list(
        Disclosure.objects.filter(case=case, participant_id__in=letters).select_related(
            "participant"
        )
    )
    shared = [d for d in disclosures if d.is_shared]
    if len(letters) < 2 or len(shared) < 2:
        raise ValidationFailed(
            "Both parties must share their disclosure before the Open Financial Statement."
        )
    names = {letters[d.participant_id]: d.participant.full_name for d in shared}
    sections = [Section(key, title) for key, title, _ in SECTIONS]
    where = {part: s for s, (_, _, parts) in zip(sections, SECTIONS, strict=True) for part in parts}
    for d in sorted(shared, key=lambda d: letters[d.participant_id]):
        for row in d.shared_items:
            a, b = _split(int(row["value_pence"]), row["owner"], row.get("share_a_percent", "50"))
            owner = {"a": names.get("a", "A"), "b": names.get("b", "B")}.get(row["owner"])
            where[row["part"]].rows.append(
                Row(
                    disclosed_by=d.participant.full_name,
                    part=row["part"],
                    description=row["description"],
                    owner=owner or f"Joint ({row.get('share_a_percent', '50')}% A)",
                    value_pence=int(row["value_pence"]),
                    a_pence=a,
                    b_pence=b,
                    valuation_date=row["valuation_date"],
                    evidence_seen=bool(row.get("evidence_seen")),
                    note=row.get("note", ""),
                )
            )
    return sections, names, shared


def statement_context(case: Case) -> dict[str, Any]:
    """Everything the PDF and DOCX templates need, with amounts already in pounds."""
    sections, names, shared = statement_sections(case)
    by_key = {s.key: s for s in sections}
    net = {
        "a": by_key["capital"].total_a - by_key["liabilities"].total_a,
        "b": by_key["capital"].total_b - by_key["liabilities"].total_b,
    }
    net["all"] = net["a"] + net["b"]
    return {
        "party_a": names.get("a", "Party A"),
        "party_b": names.get("b", "Party B"),
        "shared_on": {
            "a" if d.participant_id == min(x.participant_id for x in shared) else "b": (
                f"{timezone.localtime(d.shared_at):%d %B %Y}" if d.shared_at else ""
            )
            for d in shared
        },
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "rows": [r.as_text() for r in s.rows],
                "total_a": pence_to_pounds(s.total_a),
                "total_b": pence_to_pounds(s.total_b),
                "total": pence_to_pounds(s.total),
            }
            for s in sections
            if s.rows
        ],
        "net_a": pence_to_pounds(net["a"]),
        "net_b": pence_to_pounds(net["b"]),
        "net_all": pence_to_pounds(net["all"]),
        "pensions_a": pence_to_pounds(by_key["pensions"].total_a),
        "pensions_b": pence_to_pounds(by_key["pensions"].total_b),
        "pensions_all": pence_to_pounds(by_key["pensions"].total),
        "net_pence": net,
    }


def statement_issue(*, actor: Any, case: Case) -> list[Any]:
    """Issue the Open Financial Statement as PDF and DOCX versions and share both with the parties.

    Case mediators only; both parties must have shared their disclosure (it is built from what
    they shared, which both have seen). Both files are made before the short transaction that
    stores and shares them, which checks everything again and makes them again if what they say
    changed meanwhile (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_docx, document_prepare_pdf

    def render(seen: tuple[Case, dict[str, Any]]) -> tuple[Any, Any]:
        found, context = seen
        made = {"actor": actor, "case": found, "template_code": STATEMENT_CODE, "context": context}
        return document_prepare_pdf(**made), document_prepare_docx(**made)

    return render_then_store(
        look=lambda lock: _statement_look(actor, case, lock=lock),
        render=render,
        store=lambda now, files: _statement_store(actor, now[0], *files),
        says=lambda seen: seen[1],
        refusal=(
            "A disclosure changed while the Open Financial Statement was being made, so it was "
            "not issued. Issue it again."
        ),
    )


def _statement_look(actor: Any, case: Case, *, lock: bool) -> tuple[Case, dict[str, Any]]:
    """Check the statement may be issued and work out what it says (the case locked with `lock`)."""
    from accord.cases import policy as case_policy
    from accord.cases.progress import ensure_part_applies
    from accord.finance.services import is_case_mediator

    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.select_related("organisation").get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can issue the Open Financial Statement.")
    ensure_part_applies(case, "disclosure")
    context = statement_context(case)
    context.pop("net_pence")
    return case, context


def _statement_store(actor: Any, case: Case, pdf_file: Any, docx_file: Any) -> list[Any]:
    """The short write half of `statement_issue`, inside its transaction with the case locked."""
    from accord.cases.models import PARTY_ROLES, Participant
    from accord.documents.services import document_share, document_store

    title = "Open Financial Statement"
    pdf = document_store(actor=actor, case=case, rendered=pdf_file, title=title)
    docx = document_store(
        actor=actor,
        case=case,
        rendered=docx_file,
        title=f"{title} (Word)",
        document_code=f"{STATEMENT_CODE}-docx",
    )
    parties = list(Participant.objects.filter(case=case, role__in=PARTY_ROLES, portal_access=True))
    for version in (pdf, docx):
        document_share(actor=actor, version=version, participants=parties)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.statement_issued",
        target=pdf,
        case_id=case.pk,
        details={"pdf_version": pdf.number, "docx_version": docx.number},
    )
    return [pdf, docx]


def schedule_xlsx(case: Case) -> bytes:
    """The asset schedule as a spreadsheet whose totals are live formulas (SUM), not numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sections, names, _ = statement_sections(case)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Asset schedule"
    bold = Font(bold=True)
    sheet.append(["Asset schedule", case.reference])
    sheet.append([])
    header = [
        "Section",
        "Disclosed by",
        "Item",
        "Owner",
        "Valued on",
        "Evidence",
        f"{names.get('a', 'Party A')} (£)",
        f"{names.get('b', 'Party B')} (£)",
        "Total (£)",
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = bold
    totals: dict[str, int] = {}
    for section in sections:
        if not section.rows:
            continue
        first = sheet.max_row + 1
        for row in section.rows:
            n = sheet.max_row + 1
            sheet.append(
                [
                    section.title,
                    row.disclosed_by,
                    row.description,
                    row.owner,
                    row.valuation_date,
                    "seen" if row.evidence_seen else "not seen",
                    pence_to_decimal(row.a_pence),
                    pence_to_decimal(row.b_pence),
                    f"=G{n}+H{n}",
                ]
            )
        last = sheet.max_row
        n = last + 1
        sheet.append(
            [
                f"Total: {section.title}",
                "",
                "",
                "",
                "",
                "",
                f"=SUM(G{first}:G{last})",
                f"=SUM(H{first}:H{last})",
                f"=SUM(I{first}:I{last})",
            ]
        )
        for cell in sheet[n]:
            cell.font = bold
        totals[section.key] = n
        sheet.append([])
    if "capital" in totals or "liabilities" in totals:
        n = sheet.max_row + 1
        cap, debt = totals.get("capital"), totals.get("liabilities")
        net_row: list[Any] = ["Net capital (capital less liabilities)", "", "", "", "", ""]
        for col in "GHI":
            left = f"{col}{cap}" if cap else "0"
            right = f"{col}{debt}" if debt else "0"
            net_row.append(f"={left}-{right}")
        sheet.append(net_row)
        for cell in sheet[n]:
            cell.font = bold
    for col, width in zip("ABCDEFGHI", (40, 18, 36, 20, 12, 10, 16, 16, 16), strict=True):
        sheet.column_dimensions[col].width = width
    for r in sheet.iter_rows(min_row=4, min_col=7, max_col=9):
        for cell in r:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
