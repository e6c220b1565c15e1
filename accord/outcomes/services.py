"""Every change to written outcomes: drafting, approval, issue as a PDF, sharing and signing.

The case's mediators (lead and co-mediator) draft, submit, issue and share. A mediator who is
not accredited needs the supervisor's approval before issue (FMC standard 2.1(c)); only the
case's supervisor, or the drafting mediator's own supervisor (PPC), may approve, and never the
drafter. Issued documents are immutable versions in the document pipeline; settlement and
written agreements also get a signing packet for the parties. Audit details carry ids, kinds
and statuses, never the wording.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.agenda.selectors import agreed_items
from accord.audit.models import AuditEvent
from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import MediatorProfile
from accord.outcomes import content
from accord.outcomes.models import (
    OutcomeDraft,
    OutcomeKind,
    OutcomeStatus,
    kinds_for_case,
)

SIGNING_PURPOSE = "outcome"


def _locked(actor: Any, draft: OutcomeDraft) -> tuple[OutcomeDraft, Case]:
    """The case and the draft, row-locked; 404 unless the actor may open the case workspace."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=draft.case_id)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such outcome.")
    try:
        return OutcomeDraft.objects.select_for_update().get(pk=draft.pk, case=case), case
    except OutcomeDraft.DoesNotExist:
        raise NotFoundOrHidden("No such outcome.") from None


def is_case_mediator(user: Any, case: Case) -> bool:
    """Whether the user is the case's lead or co-mediator, still able to change the case."""
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(user, "change", case)
    )


def _require_mediator(actor: Any, case: Case) -> None:
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can draft and issue written outcomes.")


def is_accredited(user: Any, case: Case) -> bool:
    """Whether the user is an accredited mediator of the case's service."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return False
    profile = MediatorProfile.objects.filter(
        organisation_id=case.organisation_id, user_id=pk
    ).first()
    return profile is not None and profile.is_accredited


def may_approve(user: Any, draft: OutcomeDraft, case: Case) -> bool:
    """The case's supervisor, or the drafter's own supervisor (PPC); never the drafter."""
    pk = getattr(user, "pk", None)
    if pk is None or pk == draft.drafted_by_id:
        return False
    if not case_policy.can(user, "view_workspace", case):
        return False
    if pk == case.supervisor_id:
        return True
    return MediatorProfile.objects.filter(
        organisation_id=case.organisation_id, user_id=draft.drafted_by_id, supervisor_id=pk
    ).exists()


def needs_approval(draft: OutcomeDraft, issuer: Any, case: Case) -> bool:
    """Approval is needed unless both the drafter and the issuer are accredited."""
    return not (is_accredited(issuer, case) and is_accredited(draft.drafted_by, case))


def _parties(case: Case) -> list[Participant]:
    return list(case.participants.filter(role__in=PARTY_ROLES).order_by("id"))


def signers(case: Case) -> list[Participant]:
    """Who is asked to sign a settlement or written agreement once issued: the case's parties."""
    return _parties(case)


def _audit(actor: Any, case: Case, action: str, draft: OutcomeDraft, **details: Any) -> None:
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=action,
        target=draft,
        case_id=case.pk,
        details={"outcome_id": draft.pk, "kind": draft.kind, **details},
    )


@transaction.atomic
def outcome_draft_create(*, actor: Any, case: Case, kind: str) -> OutcomeDraft:
    """Start a written outcome, pre-filled from the case's agreed agenda items."""
    from accord.safeguarding.services import ensure_case_not_paused

    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    _require_mediator(actor, case)
    ensure_case_not_paused(case, doing="drafting a written outcome")
    if kind not in kinds_for_case(case.kind):
        labels = ", ".join(OutcomeKind(k).label for k in kinds_for_case(case.kind))
        raise ValidationFailed(
            "That outcome does not fit this kind of case.",
            field_errors={"kind": [f"Choose one of: {labels}."]},
        )
    live = OutcomeDraft.objects.filter(case=case, kind=kind).exclude(status=OutcomeStatus.WITHDRAWN)
    if live.exists():
        raise ValidationFailed(
            f"This case already has a {OutcomeKind(kind).label}; withdraw it to start again.",
            field_errors={"kind": ["There is already one of these for the case."]},
        )
    items = [
        content.AgreedItem(
            title=i.title,
            wording=i.agreed_wording,
            topic=i.topic,
            touches_children=i.touches_children,
        )
        for i in agreed_items(case)
    ]
    if kind == OutcomeKind.PARENTING_PLAN and not any(i.touches_children for i in items):
        raise ValidationFailed(
            "A parenting plan needs at least one agreed item about the children.",
            field_errors={"kind": ["No agreed agenda item is about the children yet."]},
        )
    sections = content.prefill(kind, items, [p.full_name for p in _parties(case)])
    if kind == OutcomeKind.MOU:
        sections["items"].extend(_agreed_maintenance_items(case))
    draft = OutcomeDraft.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        sections=sections,
        drafted_by=actor,
    )
    _audit(actor, case, "outcomes.drafted", draft, agreed_items=len(items))
    return draft


@transaction.atomic
def outcome_draft_update(
    *, actor: Any, draft: OutcomeDraft, fields: dict[str, Any]
) -> OutcomeDraft:
    """Save edited sections; only while the outcome is a draft."""
    draft, case = _locked(actor, draft)
    _require_mediator(actor, case)
    if draft.status != OutcomeStatus.DRAFT:
        raise ValidationFailed(
            f"The outcome is {draft.get_status_display().lower()}, so it can no longer be edited."
        )
    sections, errors = content.clean_sections(draft.kind, fields)
    if errors:
        raise ValidationFailed("The outcome could not be saved.", field_errors=errors)
    draft.sections = sections
    draft.save(update_fields=["sections", "updated_at"])
    _audit(actor, case, "outcomes.edited", draft)
    return draft


def _ensure_complete(draft: OutcomeDraft) -> None:
    """The sections the document needs are filled in (checked again before approval and issue)."""
    _, errors = content.clean_sections(draft.kind, content.as_fields(draft.kind, draft.sections))
    if errors:
        raise ValidationFailed(
            "Some parts of the outcome still need filling in: edit the draft first.",
            field_errors=errors,
        )


@transaction.atomic
def outcome_submit_for_approval(*, actor: Any, draft: OutcomeDraft) -> OutcomeDraft:
    """Send a draft to the supervisor for approval."""
    draft, case = _locked(actor, draft)
    _require_mediator(actor, case)
    if draft.status != OutcomeStatus.DRAFT:
        raise ValidationFailed("Only a draft can be sent for approval.")
    _ensure_complete(draft)
    draft.status = OutcomeStatus.AWAITING_APPROVAL
    draft.save(update_fields=["status", "updated_at"])
    emailed = _email_approvers(case, draft)
    _audit(actor, case, "outcomes.submitted", draft, emailed_user_ids=emailed)
    return draft


def approvers(draft: OutcomeDraft, case: Case) -> list[Any]:
    """Who may approve: the case's supervisor, else the drafter's own supervisor (PPC)."""
    if case.supervisor_id and case.supervisor_id != draft.drafted_by_id:
        return [case.supervisor]
    profile = (
        MediatorProfile.objects.filter(
            organisation_id=case.organisation_id, user_id=draft.drafted_by_id
        )
        .select_related("supervisor")
        .first()
    )
    if (
        profile is not None
        and profile.supervisor_id
        and profile.supervisor_id != draft.drafted_by_id
    ):
        return [profile.supervisor]
    return []


def _email_approvers(case: Case, draft: OutcomeDraft) -> list[int]:
    """Tell the approver an outcome waits for them: the case reference and a link, no wording."""
    from django.urls import reverse

    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    base = site_url()
    path = reverse("outcomes:detail", kwargs={"case_pk": case.pk, "pk": draft.pk})
    link = f"{base}{path}" if base else f"Sign in to Accord and open case {case.reference}."
    # Each submission is its own message: a draft returned and sent again is announced again.
    sent = AuditEvent.objects.filter(
        action="outcomes.submitted", details__outcome_id=draft.pk
    ).count()
    emailed = []
    for user in approvers(draft, case):
        if not getattr(user, "email", "") or not getattr(user, "is_active", True):
            continue
        email_enqueue(
            organisation_id=case.organisation_id,
            key=f"outcomes.{draft.pk}.submitted.{sent + 1}.{user.pk}",
            to_email=user.email,
            subject=f"An outcome on case {case.reference} is waiting for your approval",
            body=(
                "Hello,\n\nA written outcome on case "
                f"{case.reference} has been sent for your approval.\n\n{link}\n"
            ),
        )
        emailed.append(user.pk)
    return emailed


@transaction.atomic
def outcome_approve(*, actor: Any, draft: OutcomeDraft) -> OutcomeDraft:
    """The supervisor approves a draft awaiting approval."""
    draft, case = _locked(actor, draft)
    if not may_approve(actor, draft, case):
        raise NotPermitted("Only the supervisor of the case or of its mediator can approve this.")
    if draft.status != OutcomeStatus.AWAITING_APPROVAL:
        raise ValidationFailed("Only an outcome awaiting approval can be approved.")
    draft.status = OutcomeStatus.APPROVED
    draft.approved_by, draft.approved_at = actor, timezone.now()
    draft.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(actor, case, "outcomes.approved", draft)
    return draft


@transaction.atomic
def outcome_return_to_draft(*, actor: Any, draft: OutcomeDraft) -> OutcomeDraft:
    """Take back an outcome awaiting approval or approved, to edit it again (approval lapses)."""
    draft, case = _locked(actor, draft)
    if not (is_case_mediator(actor, case) or may_approve(actor, draft, case)):
        raise NotPermitted("Only the case's mediators or its supervisor can do this.")
    if draft.status not in (OutcomeStatus.AWAITING_APPROVAL, OutcomeStatus.APPROVED):
        raise ValidationFailed("Only an outcome awaiting approval or approved can go back.")
    draft.status = OutcomeStatus.DRAFT
    draft.approved_by, draft.approved_at = None, None
    draft.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _audit(actor, case, "outcomes.returned", draft)
    return draft


@transaction.atomic
def outcome_withdraw(*, actor: Any, draft: OutcomeDraft) -> OutcomeDraft:
    """Abandon an outcome not yet issued, so that another of its kind can be started."""
    draft, case = _locked(actor, draft)
    _require_mediator(actor, case)
    if draft.status in (OutcomeStatus.ISSUED, OutcomeStatus.SUPERSEDED, OutcomeStatus.WITHDRAWN):
        raise ValidationFailed(
            f"The outcome is {draft.get_status_display().lower()}, so it cannot be withdrawn."
        )
    draft.status = OutcomeStatus.WITHDRAWN
    draft.save(update_fields=["status", "updated_at"])
    _audit(actor, case, "outcomes.withdrawn", draft)
    return draft


def document_context(draft: OutcomeDraft, case: Case) -> dict[str, Any]:
    """What the outcome's document template gets: the sections and the parties' names only."""
    sections = dict(draft.sections)
    if draft.kind == OutcomeKind.SETTLEMENT:
        sections["terms"] = [
            {**term, "amount_display": content.format_pounds(term.get("amount") or None)}
            for term in sections.get("terms", [])
        ]
    plan = _plan_context(draft, case) if draft.kind == OutcomeKind.PARENTING_PLAN else {}
    return {
        "kind_label": draft.get_kind_display(),
        "sections": sections,
        "plan": content.plan_blocks(sections, _attached(plan)) if plan else [],
        **plan,
        "mou_header": content.MOU_HEADER,
        "text_sections": [(key, heading) for key, heading, _ in content.TEXT_SECTIONS[draft.kind]],
        "text_blocks": [
            (heading, sections.get(key, ""))
            for key, heading, _ in content.TEXT_SECTIONS[draft.kind]
        ],
        "signatories": [p.full_name for p in _parties(case)],
    }


def _agreed_maintenance_items(case: Case) -> list[dict[str, str]]:
    """The agreed child maintenance figure as an MoU proposal, where the children part applies."""
    from accord.cases import kinds

    if not kinds.applies(case.kind, "maintenance"):
        return []
    from accord.children.plan import plan_attachments

    money = plan_attachments(case).get("plan_maintenance")
    if not money:
        return []
    return [
        {
            "title": "Child maintenance",
            "wording": f"{money['payer']} pays {money['weekly']} a week ({money['monthly']} a "
            "month), an estimate under the 2012 scheme, not the Child Maintenance Service's "
            "decision.",
        }
    ]


def _attached(plan: dict[str, Any]) -> frozenset[str]:
    """The plan's headings that carry the agreed schedule or maintenance figure."""
    keys = set()
    if plan.get("plan_schedule"):
        keys.add("living_arrangements")
    if plan.get("plan_maintenance"):
        keys.add("money")
    return frozenset(keys)


def _day_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _plan_context(draft: OutcomeDraft, case: Case) -> dict[str, Any]:
    """What a parenting plan names: parents, children with ages, mediator, service, dates, and
    the agreed schedule and maintenance figure (from the children app, where it applies)."""
    review = draft.sections.get("review_date") or ""
    context: dict[str, Any] = {
        "plan_parents": [p.full_name for p in _parties(case)],
        "plan_mediator": case.lead_mediator.full_name if case.lead_mediator else "",
        "plan_service": case.organisation.name,
        "plan_date": timezone.localdate(),
        "plan_review_date": dt.date.fromisoformat(review) if review else None,
        "plan_date_text": _day_text(timezone.localdate()),
        "plan_review_text": _day_text(dt.date.fromisoformat(review)) if review else "to agree",
        "plan_status": content.PLAN_STATUS,
        "plan_consent_order": content.PLAN_CONSENT_ORDER,
        "plan_children": [],
        "plan_schedule": None,
        "plan_maintenance": None,
    }
    from accord.cases import kinds

    if kinds.applies(case.kind, "children"):
        from accord.children.plan import plan_attachments

        context.update(plan_attachments(case))
    return context


def signing_text(draft: OutcomeDraft, case: Case) -> str:
    """The outcome in the agreements app's plain markup, frozen in the signing packet."""
    context = document_context(draft, case)
    lines = [f"## {context['kind_label']}", ""]
    for key, heading in context["text_sections"]:
        if context["sections"].get(key):
            lines += [f"## {heading}", "", context["sections"][key], ""]
    for n, term in enumerate(context["sections"].get("terms", []), start=1):
        parts = [term["description"]]
        if term.get("amount_display"):
            parts.append(f"Amount: {term['amount_display']}")
        if term.get("due_date"):
            parts.append(f"By: {term['due_date']}")
        if term.get("who"):
            parts.append(f"Who: {term['who']}")
        lines.append(f"- Term {n}. " + ". ".join(parts))
    return "\n".join(lines).strip() + "\n"


#: Said before every issue, on the confirmation page and in the refusal without confirmation.
ISSUE_WARNING = "Issued documents cannot be changed, only corrected by a new version."

#: The longest reason for a correction.
REASON_LIMIT = 2000


def _issuable(
    actor: Any, draft: OutcomeDraft, confirm: bool, *, lock: bool
) -> tuple[OutcomeDraft, Case]:
    """The outcome and its case if the actor may issue it now; refused otherwise.

    With `lock`, the rows are locked (inside the storing transaction); without, they are read
    as they are (before rendering, outside any transaction).
    """
    from accord.safeguarding.services import ensure_case_not_paused

    if lock:
        draft, case = _locked(actor, draft)
    else:
        case = Case.objects.get(pk=draft.case_id)
        if not case_policy.can(actor, "view_workspace", case):
            raise NotFoundOrHidden("No such outcome.")
        try:
            draft = OutcomeDraft.objects.get(pk=draft.pk, case=case)
        except OutcomeDraft.DoesNotExist:
            raise NotFoundOrHidden("No such outcome.") from None
    _require_mediator(actor, case)
    if confirm is not True:
        raise ValidationFailed(
            f"Confirm that you want to issue the {draft.get_kind_display()}: {ISSUE_WARNING}",
            field_errors={"confirm": ["Confirm the issue to go ahead."]},
        )
    ensure_case_not_paused(case, doing="issuing a written outcome")
    if draft.status == OutcomeStatus.APPROVED:
        pass
    elif draft.status == OutcomeStatus.DRAFT:
        if needs_approval(draft, actor, case):
            raise ValidationFailed(
                "This outcome needs the supervisor's approval before it is issued: "
                "send it for approval.",
            )
    else:
        raise ValidationFailed(
            f"The outcome is {draft.get_status_display().lower()}, so it cannot be issued."
        )
    _ensure_complete(draft)
    return draft, case


def outcome_issue(*, actor: Any, draft: OutcomeDraft, confirm: bool = False) -> OutcomeDraft:
    """Issue the outcome as a PDF version; approval first unless drafter and issuer are accredited.

    The issuer must confirm (`confirm=True`): an issued document is never changed. Settlement and
    written agreements also get a signing packet for the case's parties. Issuing a correction
    marks the version it corrects superseded (kept and still downloadable), shares the new
    version with everyone who had the old one and tells them, without any of the wording.

    The PDF (and a parenting plan's Word copy) is rendered first, outside any transaction, so
    other writers never wait for WeasyPrint; then a short transaction locks the case and the
    outcome, checks everything again, and stores the documents only if the outcome would still
    read the same. If it changed meanwhile, the documents are discarded and rendered again (see
    accord.documents.produce); after a few tries the issue is refused with nothing saved.
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_docx, document_prepare_pdf

    def look(lock: bool) -> tuple[OutcomeDraft, Case, dict[str, Any]]:
        seen, case = _issuable(actor, draft, confirm, lock=lock)
        return seen, case, document_context(seen, case)

    def render(seen: tuple[OutcomeDraft, Case, dict[str, Any]]) -> tuple[Any, Any]:
        looked, case, context = seen
        code = looked.template_code
        pdf = document_prepare_pdf(actor=actor, case=case, template_code=code, context=context)
        word = None
        if looked.kind == OutcomeKind.PARENTING_PLAN:
            word = document_prepare_docx(
                actor=actor, case=case, template_code=code, context=context
            )
        return pdf, word

    def store(now: tuple[OutcomeDraft, Case, dict[str, Any]], rendered: tuple[Any, Any]) -> Any:
        return _issue_store(actor, now[0], now[1], *rendered)

    return render_then_store(
        look=look,
        render=render,
        store=store,
        says=lambda seen: seen[2],
        refusal=(
            "The outcome kept changing while its document was being made, so it was not "
            "issued. Check it and issue it again."
        ),
    )


def _issue_store(actor: Any, draft: OutcomeDraft, case: Case, pdf: Any, word: Any) -> OutcomeDraft:
    """The short write half of `outcome_issue`, inside its transaction with the rows locked."""
    from accord.documents.services import document_store

    previous = _previous_to_supersede(draft)
    document_code = f"outcome-{draft.kind.replace('_', '-')}-{draft.pk}"
    if previous is not None and previous.issued_version is not None:
        # The correction is the next version of the same document.
        document_code = previous.issued_version.document.code
    version = document_store(
        actor=actor,
        case=case,
        rendered=pdf,
        title=draft.get_kind_display(),
        document_code=document_code,
    )
    if word is not None:
        # An editable Word copy, as its own document beside the PDF (versioned alike).
        document_store(
            actor=actor,
            case=case,
            rendered=word,
            title=f"{draft.get_kind_display()} (Word)",
            document_code=f"{document_code}-word",
        )
    draft.status = OutcomeStatus.ISSUED
    draft.issued_by, draft.issued_at, draft.issued_version = actor, timezone.now(), version
    fields = ["status", "issued_by", "issued_at", "issued_version", "updated_at"]
    if draft.is_signed_kind:
        from accord.agreements.services import signing_packet_create

        signers = _parties(case)
        if signers:
            draft.signing_packet = signing_packet_create(
                actor=actor,
                case=case,
                purpose=SIGNING_PURPOSE,
                title=draft.get_kind_display(),
                text=signing_text(draft, case),
                signers=signers,
            )
            fields.append("signing_packet")
    draft.save(update_fields=fields)
    _audit(
        actor,
        case,
        "outcomes.issued",
        draft,
        version_id=version.pk,
        version_number=draft.version_number,
    )
    if previous is not None:
        _supersede(actor, case, previous, draft)
    from accord.cases.progress import case_advance

    case_advance(actor=actor, case=case, event="outcome_issued")
    return draft


@transaction.atomic
def outcome_share(
    *, actor: Any, draft: OutcomeDraft, participants: Sequence[Participant]
) -> OutcomeDraft:
    """Share the issued document with the chosen participants of the case."""
    from accord.documents.services import document_share

    draft, case = _locked(actor, draft)
    _require_mediator(actor, case)
    if draft.status != OutcomeStatus.ISSUED or draft.issued_version is None:
        raise ValidationFailed("Only an issued outcome can be shared.")
    people = list(participants)
    if not people:
        raise ValidationFailed(
            "Choose who to share it with.",
            field_errors={"participants": ["Choose who to share it with."]},
        )
    document_share(actor=actor, version=draft.issued_version, participants=people)
    _audit(actor, case, "outcomes.shared", draft, participant_ids=sorted(p.pk for p in people))
    return draft


def _previous_to_supersede(draft: OutcomeDraft) -> OutcomeDraft | None:
    """The issued version a correction replaces, row-locked; refused if it is no longer issued."""
    if draft.previous_id is None:
        return None
    previous = (
        OutcomeDraft.objects.select_for_update(of=("self",))
        .select_related("issued_version__document")
        .get(pk=draft.previous_id)
    )
    if previous.status != OutcomeStatus.ISSUED:
        raise ValidationFailed(
            f"Version {previous.version_number} is {previous.get_status_display().lower()}, "
            "so this correction cannot be issued."
        )
    return previous


def recipients(draft: OutcomeDraft) -> list[Participant]:
    """Everyone an issued version was shared with: parties and professionals alike."""
    if draft.issued_version_id is None:
        return []
    return list(
        Participant.objects.filter(document_shares__version_id=draft.issued_version_id)
        .distinct()
        .order_by("id")
    )


def _supersede(actor: Any, case: Case, previous: OutcomeDraft, current: OutcomeDraft) -> None:
    """Mark `previous` superseded by `current`, give its recipients the new one and tell them."""
    from accord.documents.services import document_share

    previous.status = OutcomeStatus.SUPERSEDED
    previous.superseded_at = current.issued_at
    previous.save(update_fields=["status", "superseded_at", "updated_at"])
    people = recipients(previous)
    if people and current.issued_version is not None:
        document_share(actor=actor, version=current.issued_version, participants=people)
    if previous.signing_packet_id:
        from accord.agreements.models import PacketStatus
        from accord.agreements.services import signing_packet_void

        packet = previous.signing_packet
        if packet is not None and packet.status == PacketStatus.OPEN:
            signing_packet_void(actor=actor, packet=packet)
    told = _email_recipients(case, previous, current, people)
    _audit(
        actor,
        case,
        "outcomes.superseded",
        previous,
        superseded_by=current.pk,
        version_number=previous.version_number,
        new_version_number=current.version_number,
        recipient_ids=[p.pk for p in people],
        emailed_ids=told,
    )


def _email_recipients(
    case: Case, previous: OutcomeDraft, current: OutcomeDraft, people: Sequence[Participant]
) -> list[int]:
    """One email per recipient who may be emailed: a correction exists, by a link only."""
    from django.urls import reverse

    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    base = site_url()
    told = []
    for person in people:
        if not person.can_be_emailed:
            continue
        if person.portal_access and person.user_id is not None:
            path = reverse("portal:case", kwargs={"pk": case.pk})
            how = (
                f"Sign in to see the new version: {base}{path}"
                if base
                else ("Sign in to the Accord portal to see the new version.")
            )
        else:
            how = "Contact your mediation service for the new version."
        email_enqueue(
            organisation_id=case.organisation_id,
            key=f"outcomes.{previous.pk}.superseded.{current.pk}.{person.pk}",
            to_email=person.email,
            subject="A document shared with you has been corrected",
            body=(
                "Hello,\n\nYour mediation service has issued a corrected version of a document "
                "it shared with you. The earlier version is kept but has been replaced.\n\n"
                f"{how}\n"
            ),
        )
        told.append(person.pk)
    return told


@transaction.atomic
def outcome_correction_start(*, actor: Any, draft: OutcomeDraft, reason: str) -> OutcomeDraft:
    """Start correcting an issued outcome: a new draft version copying its content.

    The new version goes through approval again when its drafter and issuer need it, and on
    issue supersedes the version it corrects. The reason is kept with the new version and shown
    to the recipients of the old one; the audit trail records only that one was given.
    """
    from accord.safeguarding.services import ensure_case_not_paused

    draft, case = _locked(actor, draft)
    _require_mediator(actor, case)
    reason = (reason or "").strip()
    if draft.status == OutcomeStatus.SUPERSEDED:
        current = draft.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
        newer = f"version {current.version_number}" if current else "a newer version"
        raise ValidationFailed(
            f"This version has been superseded by {newer}: correct the current version instead."
        )
    if draft.status != OutcomeStatus.ISSUED:
        raise ValidationFailed(
            "Only an issued outcome can be corrected; a draft can still be edited or withdrawn."
        )
    if not reason:
        raise ValidationFailed(
            "Give the reason for the correction.",
            field_errors={"reason": ["Enter the reason for the correction."]},
        )
    if len(reason) > REASON_LIMIT:
        raise ValidationFailed(
            "The reason is too long.",
            field_errors={"reason": [f"Use at most {REASON_LIMIT} characters."]},
        )
    pending = draft.corrections.exclude(status=OutcomeStatus.WITHDRAWN).first()
    if pending is not None:
        raise ValidationFailed(
            f"A correction is already under way (version {pending.version_number}): "
            "finish or withdraw it first."
        )
    ensure_case_not_paused(case, doing="correcting a written outcome")
    correction = OutcomeDraft.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=draft.kind,
        sections=copy.deepcopy(draft.sections),
        drafted_by=actor,
        version_number=draft.version_number + 1,
        previous=draft,
        correction_reason=reason,
    )
    _audit(
        actor,
        case,
        "outcomes.correction_started",
        correction,
        previous_id=draft.pk,
        version_number=correction.version_number,
    )
    return correction
