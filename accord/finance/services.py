"""Every change to financial disclosure: items, parts completed, sharing, evidence, deadlines.

A party changes their own disclosure; a case mediator (lead or co-mediator) may enter or correct
items for a party, and the item and its audit event say so. Audit details hold ids, parts and
flags, never descriptions, figures or file names: the audit trail is read by staff who need not
see the money, and a timeline sentence must not carry it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.finance.models import (
    Disclosure,
    DisclosureItem,
    Evidence,
    EvidenceRequirement,
    FormEPart,
    Owner,
)
from accord.finance.money import MAX_PENCE

DESCRIPTION_LIMIT = 200
NOTE_LIMIT = 2000
DISCLOSURE_RULE = "finance.disclosure"
#: The oldest valuation date accepted (a typing mistake such as 1026 is refused).
OLDEST_VALUATION = dt.date(1950, 1, 1)


def is_case_mediator(user: Any, case: Case) -> bool:
    """Whether the user is the case's lead or co-mediator and may still change the case."""
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(user, "change", case)
    )


def party_letters(case: Case) -> dict[int, str]:
    """Participant id to "a" or "b": the case's first two parties, in the order they were added."""
    ids = list(
        Participant.objects.filter(case=case, role__in=PARTY_ROLES)
        .order_by("id")
        .values_list("id", flat=True)[:2]
    )
    return {pk: letter for pk, letter in zip(ids, ("a", "b"), strict=False)}


def _acting(actor: Any, case: Case, participant: Participant | None) -> tuple[Case, bool]:
    """The locked case and whether the actor is a mediator acting for the party.

    A party may act on their own disclosure only; a case mediator on either party's. Anyone else
    gets 404 (a party) or 403 (staff who may see the case but not change it).
    """
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if participant is None or participant.case_id != case.pk or not participant.is_party:
        raise NotFoundOrHidden("No such party.")
    if case_policy.can(actor, "view_workspace", case):
        if not is_case_mediator(actor, case):
            raise NotPermitted("Only the case's mediators can enter disclosure for a party.")
        ensure_part_applies(case, "disclosure")
        return case, True
    pk = getattr(actor, "pk", None)
    if pk is None or participant.user_id != pk or not participant.portal_access:
        raise NotFoundOrHidden("No such disclosure.")
    ensure_part_applies(case, "disclosure")
    return case, False


def _refuse_closed(case: Case) -> None:
    if case.is_closed:
        raise ValidationFailed("The case is closed, so its disclosure cannot change.")


def _disclosure(case: Case, participant: Participant) -> Disclosure:
    disclosure, _ = Disclosure.objects.get_or_create(
        case=case, participant=participant, defaults={"organisation_id": case.organisation_id}
    )
    return Disclosure.objects.select_for_update().get(pk=disclosure.pk)


def _clean_item(
    *,
    part: Any,
    description: Any,
    owner: Any,
    share_a_percent: Any,
    value_pence: Any,
    valuation_date: Any,
    note: Any,
    today: dt.date,
    gross_pence: Any = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if part not in FormEPart.values:
        errors["part"] = ["Choose which part of the disclosure the item belongs to."]
    values["part"] = part
    text = description.strip() if isinstance(description, str) else ""
    if not text:
        errors["description"] = ["Describe the item, for example “Barclays current account”."]
    elif len(text) > DESCRIPTION_LIMIT:
        errors["description"] = [f"Use {DESCRIPTION_LIMIT} characters or fewer."]
    values["description"] = text
    if owner not in Owner.values:
        errors["owner"] = ["Choose who owns it: party A, party B or both jointly."]
    values["owner"] = owner
    share = Decimal(50)
    if owner == Owner.JOINT:
        try:
            share = Decimal(str(share_a_percent if share_a_percent is not None else 50))
        except (InvalidOperation, ValueError):
            errors["share_a_percent"] = ["Enter party A's share as a percentage, like 50."]
        else:
            if isinstance(share_a_percent, float | bool) or not share.is_finite():
                errors["share_a_percent"] = ["Enter party A's share as a percentage, like 50."]
            elif not Decimal(0) <= share <= Decimal(100):
                errors["share_a_percent"] = ["Party A's share must be from 0 to 100 per cent."]
            elif share != share.quantize(Decimal("0.01")):
                errors["share_a_percent"] = ["Use at most 2 decimal places for the share."]
    values["share_a_percent"] = (
        share if owner == Owner.JOINT else Decimal(100 if owner == "a" else 0)
    )
    if isinstance(value_pence, bool) or not isinstance(value_pence, int):
        errors["value"] = ["Enter the value in pounds, like 1250 or 1250.50."]
    elif value_pence < 0:
        errors["value"] = ["Enter the value without a minus sign: debts go under liabilities."]
    elif value_pence > MAX_PENCE:
        errors["value"] = ["The value is too large: enter an amount up to £1,000,000,000."]
    values["value_pence"] = value_pence
    # Income only: the gross (before tax) yearly figure, for the child maintenance estimate.
    if gross_pence is not None:
        if isinstance(gross_pence, bool) or not isinstance(gross_pence, int):
            errors["gross"] = ["Enter the income before tax in pounds, like 32000 or 32000.50."]
        elif part != "income":
            errors["gross"] = ["Only income has a figure before tax: leave it empty."]
        elif gross_pence < 0:
            errors["gross"] = ["Enter the income before tax without a minus sign."]
        elif gross_pence > MAX_PENCE:
            errors["gross"] = ["The income is too large: enter an amount up to £1,000,000,000."]
        elif isinstance(value_pence, int) and gross_pence < value_pence:
            errors["gross"] = ["The income before tax cannot be less than the income after tax."]
    values["gross_pence"] = gross_pence
    if not isinstance(valuation_date, dt.date) or isinstance(valuation_date, dt.datetime):
        errors["valuation_date"] = ["Enter the date of the value, like 5 12 2026."]
    elif valuation_date > today:
        errors["valuation_date"] = ["The valuation date cannot be in the future."]
    elif valuation_date < OLDEST_VALUATION:
        errors["valuation_date"] = ["Enter a valuation date from 1950 onwards."]
    values["valuation_date"] = valuation_date
    note_text = note.strip() if isinstance(note, str) else ""
    if len(note_text) > NOTE_LIMIT:
        errors["note"] = [f"Use {NOTE_LIMIT} characters or fewer for the note."]
    values["note"] = note_text
    return values, errors


@transaction.atomic
def disclosure_item_add(
    *,
    actor: Any,
    case: Case,
    participant: Participant,
    part: str,
    description: str,
    owner: str,
    value_pence: int,
    valuation_date: dt.date,
    share_a_percent: Any = None,
    note: str = "",
    gross_pence: int | None = None,
) -> DisclosureItem:
    """Add an item to a party's disclosure (the party, or a case mediator for them)."""
    case, by_mediator = _acting(actor, case, participant)
    _refuse_closed(case)
    values, errors = _clean_item(
        part=part,
        description=description,
        owner=owner,
        share_a_percent=share_a_percent,
        value_pence=value_pence,
        valuation_date=valuation_date,
        note=note,
        today=timezone.localdate(),
        gross_pence=gross_pence,
    )
    if errors:
        raise ValidationFailed("The item could not be saved.", field_errors=errors)
    disclosure = _disclosure(case, participant)
    item = DisclosureItem.objects.create(
        disclosure=disclosure, entered_by=actor, by_mediator=by_mediator, **values
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.item_added",
        target=item,
        case_id=case.pk,
        details={
            "item_id": item.pk,
            "participant_id": participant.pk,
            "part": item.part,
            "by_mediator": by_mediator,
        },
    )
    return item


def _item_for(actor: Any, item: DisclosureItem) -> tuple[DisclosureItem, Case, bool]:
    item = DisclosureItem.objects.select_related("disclosure__participant", "disclosure__case").get(
        pk=item.pk
    )
    case, by_mediator = _acting(actor, item.disclosure.case, item.disclosure.participant)
    _refuse_closed(case)
    item = DisclosureItem.objects.select_for_update().select_related("disclosure").get(pk=item.pk)
    return item, case, by_mediator


@transaction.atomic
def disclosure_item_change(
    *,
    actor: Any,
    item: DisclosureItem,
    part: str,
    description: str,
    owner: str,
    value_pence: int,
    valuation_date: dt.date,
    share_a_percent: Any = None,
    note: str = "",
    gross_pence: int | None = None,
) -> DisclosureItem:
    """Correct an item; a change after sharing is marked for the other party until shared again."""
    item, case, by_mediator = _item_for(actor, item)
    values, errors = _clean_item(
        part=part,
        description=description,
        owner=owner,
        share_a_percent=share_a_percent,
        value_pence=value_pence,
        valuation_date=valuation_date,
        note=note,
        today=timezone.localdate(),
        gross_pence=gross_pence,
    )
    if errors:
        raise ValidationFailed("The item could not be saved.", field_errors=errors)
    for field, value in values.items():
        setattr(item, field, value)
    item.version += 1
    item.entered_by = actor
    item.by_mediator = by_mediator
    item.save()
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.item_changed",
        target=item,
        case_id=case.pk,
        details={
            "item_id": item.pk,
            "participant_id": item.disclosure.participant_id,
            "part": item.part,
            "by_mediator": by_mediator,
        },
    )
    return item


@transaction.atomic
def disclosure_item_remove(*, actor: Any, item: DisclosureItem) -> None:
    """Remove an item (and its evidence); after sharing, the other party sees it marked removed."""
    item, case, by_mediator = _item_for(actor, item)
    stored = [str(e.content.name) for e in item.evidence.all()]
    participant_id = item.disclosure.participant_id
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.item_removed",
        target=item,
        case_id=case.pk,
        details={
            "item_id": item.pk,
            "participant_id": participant_id,
            "part": item.part,
            "by_mediator": by_mediator,
        },
    )
    item.delete()

    def _delete_files() -> None:
        for name in stored:
            default_storage.delete(name)

    transaction.on_commit(_delete_files)


@transaction.atomic
def disclosure_part_complete(
    *, actor: Any, case: Case, participant: Participant, part: str, complete: bool = True
) -> Disclosure:
    """Say that a Form E part is complete (or not yet): it leaves the party's gap list."""
    case, by_mediator = _acting(actor, case, participant)
    _refuse_closed(case)
    if part not in FormEPart.values:
        raise ValidationFailed(
            "Choose a part of the disclosure.", field_errors={"part": ["Choose a part."]}
        )
    disclosure = _disclosure(case, participant)
    done = [p for p in disclosure.parts_completed if p != part]
    if complete:
        done.append(part)
    disclosure.parts_completed = [p for p in FormEPart.values if p in done]
    disclosure.save(update_fields=["parts_completed", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.part_completed" if complete else "finance.part_reopened",
        target=disclosure,
        case_id=case.pk,
        details={"participant_id": participant.pk, "part": part, "by_mediator": by_mediator},
    )
    return disclosure


def item_snapshot(item: DisclosureItem) -> dict[str, Any]:
    """What the other party is shown of an item, frozen at sharing."""
    return {
        "id": item.pk,
        "part": item.part,
        "description": item.description,
        "owner": item.owner,
        "share_a_percent": str(item.share_a_percent),
        "value_pence": item.value_pence,
        "gross_pence": item.gross_pence,
        "valuation_date": item.valuation_date.isoformat(),
        "note": item.note,
        "version": item.version,
        "evidence_seen": item.evidence.filter(seen_at__isnull=False).exists(),
    }


@transaction.atomic
def disclosure_share(*, actor: Any, case: Case, participant: Participant) -> Disclosure:
    """Share the party's disclosure with the other party as it is now (open information).

    The other party sees this snapshot; later changes are marked until it is shared again. The
    other party is told by email that it was shared, with no figures.
    """
    case, by_mediator = _acting(actor, case, participant)
    _refuse_closed(case)
    disclosure = _disclosure(case, participant)
    items = list(disclosure.items.order_by("id"))
    if not items:
        raise ValidationFailed("Add at least one item before sharing the disclosure.")
    first = disclosure.shared_at is None
    disclosure.shared_items = [item_snapshot(i) for i in items]
    disclosure.shared_at = timezone.now()
    disclosure.save(update_fields=["shared_items", "shared_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="finance.disclosure_shared",
        target=disclosure,
        case_id=case.pk,
        details={
            "participant_id": participant.pk,
            "items": len(items),
            "first": first,
            "by_mediator": by_mediator,
        },
    )
    _email_shared(case, disclosure, participant)
    return disclosure


def _email_shared(case: Case, disclosure: Disclosure, sharer: Participant) -> None:
    """Tell the other party that a disclosure is ready to read: no figures, no items."""
    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    others = Participant.objects.filter(case=case, role__in=PARTY_ROLES).exclude(pk=sharer.pk)
    stamp = int(disclosure.shared_at.timestamp()) if disclosure.shared_at else 0
    for other in others:
        if not other.can_be_emailed:
            continue
        email_enqueue(
            organisation_id=case.organisation_id,
            key=f"finance.{disclosure.pk}.shared.{other.pk}.{stamp}",
            to_email=other.email,
            subject="Financial disclosure shared with you",
            body=(
                f"{sharer.full_name} has shared their financial disclosure in your mediation "
                f"with {case.organisation.name}.\n\nSign in to {site_url()}/portal/ to read it.\n"
            ),
        )


@transaction.atomic
def evidence_upload(*, actor: Any, item: DisclosureItem, upload: Any) -> Evidence:
    """Upload a document against an item: checked by content and size as rooms attachments are."""
    from accord.rooms.services import read_upload, safe_file_name

    item, case, by_mediator = _item_for(actor, item)
    if upload is None:
        raise ValidationFailed(
            "The evidence could not be uploaded.",
            field_errors={"attachment": ["Choose a file to upload."]},
        )
    data, content_type, errors = read_upload(upload)
    if errors:
        raise ValidationFailed("The evidence could not be uploaded.", field_errors=errors)
    stored = default_storage.save(
        f"finance/{case.organisation_id}/{case.pk}/{item.pk}/{uuid.uuid4().hex}",
        ContentFile(data),
    )
    try:
        evidence = Evidence.objects.create(
            item=item,
            content=stored,
            file_name=safe_file_name(upload, content_type),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="finance.evidence_uploaded",
            target=evidence,
            case_id=case.pk,
            details={
                "item_id": item.pk,
                "evidence_id": evidence.pk,
                "participant_id": item.disclosure.participant_id,
                "by_mediator": by_mediator,
            },
        )
    except Exception:
        default_storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_mark_seen(*, actor: Any, evidence: Evidence) -> Evidence:
    """A case mediator marks a document seen (the Open Financial Statement lists what was seen)."""
    evidence = Evidence.objects.select_related("item__disclosure__case").get(pk=evidence.pk)
    case = Case.objects.select_for_update().get(pk=evidence.item.disclosure.case_id)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such evidence.")
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can mark evidence seen.")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.seen_at is None:
        evidence.seen_at = timezone.now()
        evidence.seen_by = actor
        evidence.save(update_fields=["seen_at", "seen_by"])
        audit_record(
            organisation_id=case.organisation_id,
            actor=actor,
            action="finance.evidence_seen",
            target=evidence,
            case_id=case.pk,
            details={"evidence_id": evidence.pk, "item_id": evidence.item_id},
        )
    return evidence


@transaction.atomic
def evidence_requirement_add(
    *,
    actor: Any,
    organisation: Any,
    part: str,
    evidence: str,
    effective_from: dt.date,
    source: str = "",
) -> EvidenceRequirement:
    """A service admin sets what evidence a part needs from a date (a new dated row)."""
    from accord.organisations.models import Role
    from accord.organisations.selectors import _memberships

    roles: Any = _memberships(actor).get(organisation.pk, set()) if actor is not None else set()
    if Role.SERVICE_ADMIN not in roles:
        raise NotPermitted("Only the service's admins can change the evidence each part needs.")
    errors: dict[str, list[str]] = {}
    if part not in FormEPart.values:
        errors["part"] = ["Choose a part of the disclosure."]
    text = evidence.strip() if isinstance(evidence, str) else ""
    if not text:
        errors["evidence"] = ["Say what evidence the part needs."]
    elif len(text) > 300:
        errors["evidence"] = ["Use 300 characters or fewer."]
    if not isinstance(effective_from, dt.date):
        errors["effective_from"] = ["Enter the date it applies from."]
    elif EvidenceRequirement.objects.filter(
        organisation=organisation, part=part, effective_from=effective_from
    ).exists():
        errors["effective_from"] = ["The service already has a row for this part from that date."]
    if errors:
        raise ValidationFailed("The evidence requirement could not be saved.", field_errors=errors)
    row = EvidenceRequirement.objects.create(
        organisation=organisation,
        part=part,
        evidence=text,
        effective_from=effective_from,
        source=(source or "").strip()[:300],
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="finance.requirement_added",
        target=row,
        details={"part": part, "effective_from": effective_from.isoformat()},
    )
    return row


def requirements_in_force(organisation_id: int, on: dt.date) -> dict[str, str]:
    """Part code to the evidence it needs on a day: the service's own row first, then national."""
    result: dict[str, str] = {}
    rows = EvidenceRequirement.objects.filter(effective_from__lte=on).filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True)
    )
    # Service rows first, then the latest date first: the first row seen per part wins.
    ordered = sorted(rows, key=lambda r: (r.organisation_id is None, -r.effective_from.toordinal()))
    for row in ordered:
        result.setdefault(row.part, row.evidence)
    return result


@transaction.atomic
def disclosure_deadline_set(*, actor: Any, case: Case, start: dt.datetime | None = None) -> list:
    """Set the disclosure deadline (the dated rule "finance.disclosure") for each party.

    Each deadline is shown to the party it concerns in the portal, and the deadlines engine sends
    its reminders to the owner (the lead mediator). Refused if one is already open.
    """
    from accord.deadlines.models import Deadline, DeadlineStatus
    from accord.deadlines.services import deadline_create

    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    ensure_part_applies(case, "disclosure")
    if Deadline.objects.filter(
        case=case, rule_code=DISCLOSURE_RULE, status=DeadlineStatus.OPEN
    ).exists():
        raise ValidationFailed("The disclosure deadline is already set.")
    owner = case.lead_mediator or actor
    made = []
    for party in Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"):
        made.append(
            deadline_create(
                actor=actor,
                case=case,
                rule_code=DISCLOSURE_RULE,
                start=start or timezone.now(),
                owner=owner,
                title=f"Financial disclosure from {party.full_name}",
                concerns_participant=party,
                visible_to_participants=True,
            )
        )
    if not made:
        raise ValidationFailed("The case has no parties to ask for disclosure.")
    return made
