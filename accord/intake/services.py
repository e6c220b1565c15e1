"""Every change made by an enquiry: opening its case, and the coordinator's conflict decision."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy
from accord.cases import services as case_services
from accord.cases.models import Case, CaseKind, ParticipantRole
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.intake.models import (
    CHILDREN_ISSUES,
    FINANCE_ISSUES,
    Child,
    ConflictDecision,
    Enquiry,
    EnquirySource,
    Issue,
    SafeToContact,
    Urgency,
)
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import roles_in

MAX_OTHER_PARTIES = 2
MAX_CHILDREN = 4


def ip_hash(ip: str) -> str:
    """A keyed hash of an IP address: enough to spot abuse, useless to anyone without the key."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"intake-ip:{ip}".encode(), hashlib.sha256
    ).hexdigest()


def case_kind_for(issues: list[str]) -> str:
    """The kind of family case the issues call for; "something else" alone needs all issues."""
    children = bool(CHILDREN_ISSUES & set(issues))
    finance = bool(FINANCE_ISSUES & set(issues))
    if children and not finance:
        return CaseKind.FAMILY_CHILDREN
    if finance and not children:
        return CaseKind.FAMILY_FINANCE
    return CaseKind.FAMILY_ALL


def _surname(name: str) -> str:
    parts = name.split()
    return parts[-1] if parts else ""


def _prefixed(exc: ValidationFailed, prefix: str) -> ValidationFailed:
    """A participant's field errors renamed to the enquiry form's field names."""
    return ValidationFailed(
        exc.message,
        field_errors={f"{prefix}{name}": messages for name, messages in exc.field_errors.items()},
    )


def _check_enquiry(
    *,
    applicant: dict[str, Any],
    other_parties: list[dict[str, Any]],
    children: list[dict[str, Any]],
    issues: list[str],
    urgency: str,
    court_proceedings: bool,
    court_details: str,
) -> dict[str, list[str]]:
    """Rules on the enquiry as a whole; the people's own details are checked by participant_add."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not str(applicant.get("full_name") or "").strip():
        errors["full_name"] = ["Enter your full name."]
    if not issues:
        errors["issues"] = ["Choose at least one thing you want help to sort out."]
    elif any(issue not in Issue.values for issue in issues):
        errors["issues"] = ["Choose the issues from the list."]
    if urgency not in Urgency.values:
        errors["urgency"] = ["Choose how urgent this is."]
    if court_proceedings and not court_details.strip():
        errors["court_details"] = ["Tell us about the court proceedings."]
    if len(other_parties) > MAX_OTHER_PARTIES or len(children) > MAX_CHILDREN:
        errors["__all__"] = ["Too many people were sent with the enquiry."]
    for number, party in enumerate(other_parties, start=1):
        if party.get("safe_to_contact") not in SafeToContact.values:
            errors[f"other_{number}_safe_to_contact"] = [
                "Say whether it is safe for us to contact them."
            ]
    for number, child in enumerate(children, start=1):
        name = str(child.get("full_name") or "").strip()
        dob = child.get("date_of_birth")
        if not name:
            errors[f"child_{number}_full_name"] = ["Enter the child's name."]
        elif len(name) > 200:
            errors[f"child_{number}_full_name"] = ["The name must be 200 characters or fewer."]
        if dob is not None and dob > today:
            errors[f"child_{number}_date_of_birth"] = ["The date of birth must be in the past."]
    return errors


@transaction.atomic
def enquiry_submit(
    *,
    actor: Any,
    organisation: Organisation,
    source: str,
    applicant: dict[str, Any],
    other_parties: list[dict[str, Any]],
    children: list[dict[str, Any]],
    issues: list[str],
    urgency: str,
    other_issue_details: str = "",
    court_proceedings: bool = False,
    court_details: str = "",
    submitter_ip: str = "",
) -> Enquiry:
    """Open a case from an enquiry, with its people and children: all of it saved, or none."""
    if source == EnquirySource.PUBLIC:
        # The public form acts as no one: the case service knows this actor and limits it to
        # opening this one case and adding its people.
        actor = case_services.PUBLIC_ENQUIRY_FORM
    elif source != EnquirySource.STAFF:
        raise ValidationFailed("Unknown enquiry source.")
    issues = sorted(set(issues))
    errors = _check_enquiry(
        applicant=applicant,
        other_parties=other_parties,
        children=children,
        issues=issues,
        urgency=urgency,
        court_proceedings=court_proceedings,
        court_details=court_details,
    )
    if errors:
        raise ValidationFailed("Check the enquiry.", field_errors=errors)
    lead_mediator = None
    if source == EnquirySource.STAFF:
        roles = roles_in(actor, organisation.pk)
        if Role.MEDIATOR in roles and not roles & {Role.SERVICE_ADMIN, Role.COORDINATOR}:
            # A mediator who takes an enquiry leads its case, so they may add its people.
            lead_mediator = actor
    names = [applicant["full_name"], *(p.get("full_name", "") for p in other_parties)]
    title = " / ".join(filter(None, (_surname(str(n).strip()) for n in names))) or "Enquiry"
    case = case_services.case_open(
        actor=actor,
        organisation=organisation,
        kind=case_kind_for(issues),
        title=title[:200],
        lead_mediator=lead_mediator,
    )
    try:
        case_services.participant_add(
            actor=actor, case=case, role=ParticipantRole.PARTY, **applicant
        )
    except ValidationFailed as exc:
        raise _prefixed(exc, "") from None
    safety: dict[str, str] = {}
    for number, party in enumerate(other_parties, start=1):
        details = {k: v for k, v in party.items() if k != "safe_to_contact"}
        answer = party["safe_to_contact"]
        if answer == SafeToContact.NO:
            details["safe_contact_notes"] = (
                "Not safe to contact, according to the person who enquired."
            )
        try:
            person = case_services.participant_add(
                actor=actor, case=case, role=ParticipantRole.PARTY, **details
            )
        except ValidationFailed as exc:
            raise _prefixed(exc, f"other_{number}_") from None
        safety[str(person.pk)] = answer
    enquiry = Enquiry.objects.create(
        organisation=organisation,
        case=case,
        source=source,
        issues=issues,
        other_issue_details=other_issue_details.strip()[:2000],
        urgency=urgency,
        court_proceedings=court_proceedings,
        court_details=court_details.strip()[:2000] if court_proceedings else "",
        other_parties_safe=safety,
        submitted_at=timezone.now(),
        submitter_ip_hash=ip_hash(submitter_ip) if submitter_ip else "",
    )
    Child.objects.bulk_create(
        Child(
            enquiry=enquiry,
            full_name=str(child["full_name"]).strip(),
            date_of_birth=child.get("date_of_birth"),
        )
        for child in children
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="enquiry.received",
        target=enquiry,
        case_id=case.pk,
        # Issues and counts only: names and contact details stay out of the audit trail.
        details={
            "source": source,
            "issues": issues,
            "urgency": urgency,
            "children": len(children),
            "other_parties": len(other_parties),
        },
        actor_label="public enquiry form" if source == EnquirySource.PUBLIC else "",
    )
    return enquiry


@transaction.atomic
def conflict_check_record(
    *, actor: Any, enquiry: Enquiry, decision: str, note: str = "", matches: int = 0
) -> Enquiry:
    """Record the coordinator's decision on the conflict check for an enquiry's case."""
    enquiry = Enquiry.objects.select_for_update().select_related("case").get(pk=enquiry.pk)
    case: Case = enquiry.case
    if not policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not policy.can(actor, "change", case):
        raise NotPermitted("Only the service's coordinators and the case's mediators can do this.")
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in ConflictDecision.values:
        errors["decision"] = ["Choose a decision."]
    elif decision != ConflictDecision.NO_CONFLICT and not note:
        errors["note"] = ["Explain the decision in a note."]
    if len(note) > 2000:
        errors["note"] = ["The note must be 2,000 characters or fewer."]
    if errors:
        raise ValidationFailed("The decision could not be recorded.", field_errors=errors)
    enquiry.conflict_decision = decision
    enquiry.conflict_note = note
    enquiry.conflict_decided_by = actor
    enquiry.conflict_decided_at = timezone.now()
    enquiry.save(
        update_fields=[
            "conflict_decision",
            "conflict_note",
            "conflict_decided_by",
            "conflict_decided_at",
        ]
    )
    audit_record(
        organisation_id=enquiry.organisation_id,
        actor=actor,
        action="enquiry.conflict_checked",
        target=enquiry,
        case_id=case.pk,
        details={"decision": decision, "matches_seen": matches},
    )
    return enquiry
