"""The consent-order pack (DOMAIN.md section 7): from an issued MoU and Open Financial Statement,
the D81 statement of information pre-filled, a draft consent order outline in Word, and a
covering letter that independent legal advice is needed before anything is binding. The case
records when the pack went to each party's solicitor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case, Participant
from accord.core.errors import ValidationFailed
from accord.finance.models import ConsentPackDelivery
from accord.finance.statement import STATEMENT_CODE, statement_context

PACK_CODE = "consent-pack"
ORDER_CODE = "consent-order-outline"


def _issued_mou(case: Case) -> Any:
    from accord.outcomes.models import OutcomeDraft, OutcomeKind, OutcomeStatus

    return (
        OutcomeDraft.objects.filter(case=case, kind=OutcomeKind.MOU, status=OutcomeStatus.ISSUED)
        .order_by("-issued_at")
        .first()
    )


def pack_context(case: Case) -> dict[str, Any]:
    """The D81 figures from the statement and the proposals from the issued MoU."""
    from accord.documents.models import Document

    mou = _issued_mou(case)
    if mou is None:
        raise ValidationFailed("Issue the Memorandum of Understanding before the consent pack.")
    if not Document.objects.filter(case=case, code=STATEMENT_CODE).exists():
        raise ValidationFailed("Issue the Open Financial Statement before the consent pack.")
    context = statement_context(case)
    context.pop("net_pence", None)
    proposals = [
        {"title": item["title"], "wording": item["wording"]}
        for item in mou.sections.get("items", [])
    ]
    context["proposals"] = proposals
    context["mou_issued_on"] = f"{timezone.localtime(mou.issued_at):%d %B %Y}"
    return context


def consent_pack_prepare(*, actor: Any, case: Case) -> list[Any]:
    """Produce the pack (PDF: D81 information and the covering letter) and the consent order
    outline (Word, to edit) as versioned case documents. Not shared with the parties: it goes to
    their solicitors, and the case records when.

    Both are made before the short transaction that stores them, which checks everything again
    and makes them again if what they say changed meanwhile (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_docx, document_prepare_pdf

    def look(lock: bool) -> tuple[Case, dict[str, Any]]:
        from accord.finance.scenarios import _mediator_case

        found = _mediator_case(actor, case, lock=lock)
        return found, pack_context(found)

    def render(seen: tuple[Case, dict[str, Any]]) -> tuple[Any, Any]:
        found, context = seen
        pdf = document_prepare_pdf(
            actor=actor, case=found, template_code=PACK_CODE, context=context
        )
        docx = document_prepare_docx(
            actor=actor, case=found, template_code=ORDER_CODE, context=context
        )
        return pdf, docx

    return render_then_store(
        look=look,
        render=render,
        store=lambda now, files: _pack_store(actor, now[0], *files),
        says=lambda seen: seen[1],
        refusal=(
            "The statement or the MoU changed while the consent-order pack was being made, so "
            "it was not prepared. Prepare it again."
        ),
    )


def _pack_store(actor: Any, case: Case, pdf_file: Any, docx_file: Any) -> list[Any]:
    """The short write half of `consent_pack_prepare`, inside its transaction."""
    from accord.documents.services import document_store

    pdf = document_store(
        actor=actor,
        case=case,
        rendered=pdf_file,
        title="Consent-order pack: D81 information and covering letter",
    )
    docx = document_store(
        actor=actor, case=case, rendered=docx_file, title="Draft consent order outline"
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.consent_pack_prepared",
        target=pdf,
        case_id=case.pk,
        details={"pack_version": pdf.number, "order_version": docx.number},
    )
    return [pdf, docx]


@transaction.atomic
def consent_pack_record_sent(
    *, actor: Any, case: Case, party: Participant | None, solicitor: str, sent_on: Any
) -> ConsentPackDelivery:
    """Record the day the pack went to a party's solicitor."""
    from accord.documents.models import Document
    from accord.finance.scenarios import _mediator_case

    case = _mediator_case(actor, case)
    errors: dict[str, list[str]] = {}
    if party is None or party.case_id != case.pk or not party.is_party:
        errors["party"] = ["Choose a party of this case."]
    name = solicitor.strip() if isinstance(solicitor, str) else ""
    if not name:
        errors["solicitor"] = ["Enter the solicitor or firm the pack went to."]
    elif len(name) > 200:
        errors["solicitor"] = ["Use 200 characters or fewer."]
    if not isinstance(sent_on, dt.date):
        errors["sent_on"] = ["Enter the date it was sent."]
    elif sent_on > timezone.localdate():
        errors["sent_on"] = ["The date it was sent cannot be in the future."]
    if not Document.objects.filter(case=case, code=PACK_CODE).exists():
        errors["__all__"] = ["Prepare the consent-order pack first."]
    if errors or party is None:
        general = errors.get("__all__", ["The delivery could not be recorded."])[0]
        raise ValidationFailed(general, field_errors=errors)
    row = ConsentPackDelivery.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        party=party,
        solicitor=name,
        sent_on=sent_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.consent_pack_sent",
        target=row,
        case_id=case.pk,
        details={"participant_id": party.pk, "sent_on": sent_on.isoformat()},
    )
    return row
