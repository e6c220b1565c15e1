"""What a subject-access export holds about one person, and what it withholds and why.

The person is a participant; their other participations in the same service (same portal login
or same email) are included too. Their own words (messages they wrote, their private room,
agenda items they raised, their opening statements, complaints they made), their details,
funding and the documents shared with them are included. What another person said in confidence
is withheld, and each withholding is listed with its exemption (DOMAIN.md sections 3 and 9):
another party's private room, screening answers (they are about others), safeguarding records,
and another party's disclosure not shared with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accord.cases.models import Participant

EXEMPTIONS = {
    "private_room": (
        "Another party's private room: what they told the mediator in confidence "
        "(UK GDPR Art 15(4); DPA 2018 Sch 2 para 16, information about other individuals)."
    ),
    "screening": (
        "Screening answers and risk notes: they concern other people and safety "
        "(DPA 2018 Sch 2 para 16; Sch 3 Part 3, serious harm)."
    ),
    "safeguarding": (
        "Safeguarding records: withheld where disclosure may put a child or adult at risk or "
        "prejudice an investigation (DPA 2018 Sch 2 para 2; Sch 3 Part 3)."
    ),
    "disclosure": (
        "Another party's financial disclosure not shared with this person "
        "(DPA 2018 Sch 2 para 16, information about other individuals)."
    ),
    "mediator_notes": (
        "The mediators' notes of joint sessions: they record what other parties said "
        "(DPA 2018 Sch 2 para 16)."
    ),
    "child_consultation": (
        "What a child said in a child-inclusive consultation: the child decides what is fed "
        "back to their parents (DPA 2018 Sch 2 para 16; FMC child consultation terms)."
    ),
}


@dataclass
class Withheld:
    category: str
    count: int
    exemption: str


@dataclass
class Export:
    person: dict[str, Any]
    cases: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)  # DocumentVersion rows

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "cases": self.cases,
            "withheld": [w.__dict__ for w in self.withheld],
            "documents": [
                {"file": f"documents/{v.pk}-{v.file_name}", "title": v.document.title}
                for v in self.documents
            ],
        }


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def participations(participant: Participant) -> list[Participant]:
    """This person's participations in the service: same login, or same email."""
    match = Q(pk=participant.pk)
    if participant.user_id:
        match |= Q(user_id=participant.user_id)
    if participant.email:
        match |= Q(email__iexact=participant.email)
    return list(
        Participant.objects.filter(match, organisation_id=participant.organisation_id)
        .select_related("case")
        .order_by("case_id", "id")
    )


def gather(participant: Participant) -> Export:
    """Everything held about the person that they may have, and what is withheld."""
    from accord.agenda.models import AgendaItem
    from accord.complaints.models import Complaint
    from accord.documents.models import DocumentShare
    from accord.mediation.models import OpeningAccount, SessionNote
    from accord.meetings.models import Funding, Screening
    from accord.premediation.models import PreMediationMeeting
    from accord.rooms.models import Message, RoomKind
    from accord.safeguarding.models import SafeguardingConcern

    mine = participations(participant)
    ids = [p.pk for p in mine]
    export = Export(
        person={
            "full_name": participant.full_name,
            "email": participant.email,
            "phone": participant.phone,
            "address": participant.address,
            "date_of_birth": _when(participant.date_of_birth),
            "safe_contact_methods": participant.safe_contact_methods,
            "safe_contact_notes": participant.safe_contact_notes,
        }
    )
    withheld: dict[str, int] = {}
    for me in mine:
        case = me.case
        messages = Message.objects.filter(room__case=case).filter(
            Q(author_participant=me)
            | Q(room__kind=RoomKind.JOINT)
            | Q(room__kind=RoomKind.PRIVATE, room__party=me)
        )
        # Relayed copies in their rooms are theirs to see; originals in others' rooms are not.
        others_private = (
            Message.objects.filter(room__case=case, room__kind=RoomKind.PRIVATE)
            .exclude(room__party=me)
            .exclude(author_participant=me)
            .count()
        )
        withheld["private_room"] = withheld.get("private_room", 0) + others_private
        entry: dict[str, Any] = {
            "reference": case.reference,
            "kind": case.get_kind_display(),
            "your_role": me.get_role_display(),
            "opened": _when(case.opened_at),
            "closed": _when(case.closed_at),
            "messages": [
                {
                    "room": "your private room"
                    if m.room.kind == RoomKind.PRIVATE
                    else "joint room",
                    "written_by": "you"
                    if m.author_participant_id == me.pk
                    else "the mediator"
                    if m.author_participant_id is None
                    else "another participant",
                    "at": _when(m.created_at),
                    "text": "" if m.is_withdrawn and m.author_participant_id != me.pk else m.body,
                }
                for m in messages.select_related("room").order_by("created_at", "id")
            ],
            "agenda_items_you_raised": [
                {"title": i.title, "issue": i.issue, "view": i.view, "hopes": i.hopes}
                for i in AgendaItem.objects.filter(case=case, proposed_by_participant=me)
            ],
            "your_opening_statements": [
                a.text for a in OpeningAccount.objects.filter(participant=me).order_by("id")
            ],
            "your_meetings_before_mediation": [
                {"perspective": m.perspective, "goals": m.goals, "concerns": m.concerns}
                for m in PreMediationMeeting.objects.filter(participant=me, held_at__isnull=False)
            ],
            "funding": [
                {"kind": f.get_kind_display(), "legal_aid_outcome": f.legal_aid_outcome}
                for f in Funding.objects.filter(participant=me)
            ],
            "complaints_you_made": [
                {
                    "received": _when(c.received_on),
                    "about": c.about,
                    "responded": _when(c.responded_on),
                    "outcome": c.get_outcome_display(),
                }
                for c in Complaint.objects.filter(complainant=me)
            ],
        }
        entry.update(_newer_parts(me, withheld))
        export.cases.append(entry)
        screenings = Screening.objects.filter(case=case).count()
        withheld["screening"] = withheld.get("screening", 0) + screenings
        concerns = SafeguardingConcern.objects.filter(case=case).count()
        withheld["safeguarding"] = withheld.get("safeguarding", 0) + concerns
        notes = SessionNote.objects.filter(case=case).count()
        withheld["mediator_notes"] = withheld.get("mediator_notes", 0) + notes
    labels = {
        "private_room": "Messages in other parties' private rooms",
        "screening": "Screening records",
        "safeguarding": "Safeguarding records",
        "mediator_notes": "Mediators' session notes",
        "disclosure": "Other parties' financial disclosure not shared with you",
        "child_consultation": "What a child said in a consultation",
    }
    export.withheld = [
        Withheld(labels[key], count, EXEMPTIONS[key]) for key, count in withheld.items() if count
    ]
    export.documents = [
        share.version
        for share in DocumentShare.objects.filter(participant_id__in=ids)
        .select_related("version", "version__document")
        .order_by("version_id")
    ]
    return export


def _money(value: Any) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _newer_parts(me: Participant, withheld: dict[str, int]) -> dict[str, Any]:
    """The person's records in the parts built after records: fees, finance, children and SEND
    (each read only where it is theirs); and what of them is withheld."""
    from accord.children.models import ChildOffer, MaintenanceEstimate, ParentConsent
    from accord.fees.models import Invoice, InvoiceStatus, MeansAssessment, Payment
    from accord.finance.models import Disclosure, DisclosureItem
    from accord.send.models import SendCall

    case_id = me.case_id
    out: dict[str, Any] = {
        "your_invoices": [
            {
                "number": i.display_number(),
                "issued": _when(i.issued_at),
                "total": _money(i.total),
                "note": i.note,
            }
            for i in Invoice.objects.filter(participant=me, status=InvoiceStatus.ISSUED)
        ],
        "your_payments": [
            {"paid_on": _when(p.paid_on), "amount": _money(p.amount), "reference": p.reference}
            for p in Payment.objects.filter(invoice__participant=me)
        ],
        "your_legal_aid_assessment": [
            {
                "assessed_on": _when(m.assessed_on),
                "evidence": m.get_evidence_display(),
                "benefit": m.get_benefit_display() if m.benefit else "",
                "evidence_seen": m.evidence_note,
                "gross_monthly_income": _money(m.gross_monthly_income),
                "disposable_monthly_income": _money(m.disposable_monthly_income),
                "disposable_capital": _money(m.disposable_capital),
                "dependent_children": m.dependent_children,
                "eligible": m.eligible,
                "how_it_was_worked_out": m.reasons,
            }
            for m in MeansAssessment.objects.filter(participant=me)
        ],
        "your_financial_disclosure": [
            {
                "part": item.get_part_display(),
                "description": item.description,
                "value": _money(Decimal(item.value_pence) / 100),
                "valuation_date": _when(item.valuation_date),
                "note": item.note,
                "evidence_files": [e.file_name for e in item.evidence.all()],
            }
            for item in DisclosureItem.objects.filter(disclosure__participant=me)
            .prefetch_related("evidence")
            .order_by("id")
        ],
        "your_child_consultation_consents": [
            {"child_offer": c.offer_id, "answer": c.get_answer_display()}
            for c in ParentConsent.objects.filter(participant=me)
        ],
        "maintenance_estimates_about_your_income": [
            {
                "gross_weekly_income": _money(e.gross_weekly_income),
                "weekly_maintenance": _money(e.weekly),
                "agreed": _when(e.agreed_at),
            }
            for e in MaintenanceEstimate.objects.filter(paying_parent=me)
        ],
        "child_consultation_feedback_shared_with_you": [
            o.feedback
            for o in ChildOffer.objects.filter(case_id=case_id, feedback_shared_at__isnull=False)
        ],
        "calls_with_you": [
            {"at": _when(c.called_at), "summary": c.summary}
            for c in SendCall.objects.filter(participant=me)
        ],
    }
    # Another party's disclosure is theirs until they share it; what they shared (a snapshot)
    # this person has already been shown, what they have not is withheld.
    not_shared = 0
    for other in Disclosure.objects.filter(case_id=case_id).exclude(participant=me):
        shown = len(other.shared_items or []) if other.shared_at else 0
        not_shared += max(0, other.items.count() - shown)
    withheld["disclosure"] = withheld.get("disclosure", 0) + not_shared
    # The consultant's notes, and feedback the child has not let be shared, are withheld.
    consulted = (
        ChildOffer.objects.filter(case_id=case_id)
        .exclude(notes="", feedback="")
        .exclude(notes="", feedback_shared_at__isnull=False)
        .count()
    )
    withheld["child_consultation"] = withheld.get("child_consultation", 0) + consulted
    return out


def build_zip(export: Export, *, organisation_name: str) -> bytes:
    """The ZIP: a readable PDF summary, the same as JSON, and the documents shared with them."""
    from accord.documents.rendering import html_to_pdf

    html = render_to_string(
        "records/sar_summary.html",
        {
            "export": export,
            "organisation_name": organisation_name,
            "produced_at": timezone.now(),
        },
    )
    pdf = html_to_pdf(html)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf)
        archive.writestr(
            "data.json", json.dumps(export.as_json(), indent=2, ensure_ascii=False, default=str)
        )
        for version in export.documents:
            try:
                with version.content.open("rb") as handle:
                    archive.writestr(f"documents/{version.pk}-{version.file_name}", handle.read())
            except (OSError, ValueError):
                archive.writestr(
                    f"documents/{version.pk}-{version.file_name}.missing.txt",
                    "The stored file could not be read.",
                )
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
