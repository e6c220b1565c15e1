"""Every change made by an enquiry: opening its case, and the coordinator's conflict decision."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy
from accord.cases import services as case_services
from accord.cases.kinds import GENERAL_KINDS, KINDS
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
    LADecision,
    SafeToContact,
    Urgency,
)
from accord.intake.selectors import conflict_hits_find, conflict_summary
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import roles_in

MAX_OTHER_PARTIES = 2
MAX_CHILDREN = 4
#: Who may record an enquiry taken by phone or in person (the staff page and the API).
ENQUIRY_RECORDERS = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR, Role.MEDIATOR})


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


def _check_common(
    *, applicant: dict[str, Any], urgency: str, court_proceedings: bool, court_details: str
) -> dict[str, list[str]]:
    """Rules every enquiry shares; the people's own details are checked by participant_add."""
    errors: dict[str, list[str]] = {}
    if not str(applicant.get("full_name") or "").strip():
        errors["full_name"] = ["Enter your full name."]
    if urgency not in Urgency.values:
        errors["urgency"] = ["Choose how urgent this is."]
    if court_proceedings and not court_details.strip():
        errors["court_details"] = ["Tell us about the court proceedings."]
    return errors


#: Why the public form asks for a safe way in: said on the form and in the error.
SAFE_CONTACT_REASON = (
    "We need at least one safe way to reach you: an email address or a phone number, "
    "ticked as safe to use, so that we do not contact you in a way that could put you at risk."
)


def _check_safe_contact(*, source: str, applicant: dict[str, Any]) -> dict[str, list[str]]:
    """A public enquiry must give an email or phone number that the person says is safe to use.

    Staff taking an enquiry by phone already have a way to reach the person, so the rule is for
    the public form only.
    """
    if source != EnquirySource.PUBLIC:
        return {}
    methods = set(applicant.get("safe_contact_methods") or [])
    email = str(applicant.get("email") or "").strip()
    phone = str(applicant.get("phone") or "").strip()
    if (email and "email" in methods) or (phone and methods & {"phone", "text"}):
        return {}
    if not email and not phone:
        return {"email": [SAFE_CONTACT_REASON]}
    return {"safe_contact_methods": [SAFE_CONTACT_REASON]}


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
    """Rules on a family enquiry as a whole."""
    errors = _check_common(
        applicant=applicant,
        urgency=urgency,
        court_proceedings=court_proceedings,
        court_details=court_details,
    )
    today = timezone.localdate()
    if not issues:
        errors["issues"] = ["Choose at least one thing you want help to sort out."]
    elif any(issue not in Issue.values for issue in issues):
        errors["issues"] = ["Choose the issues from the list."]
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


def _not_offered(organisation: Organisation, kind: str) -> str:
    label = KINDS[kind].label if kind in KINDS else kind
    return f"{organisation.name} does not take enquiries for {label} mediation."


def _check_source(actor: Any, source: str) -> Any:
    """The actor the case services see: the public form acts as no one."""
    if source == EnquirySource.PUBLIC:
        # The case service knows this actor and limits it to opening this one case and adding
        # its people.
        return case_services.PUBLIC_ENQUIRY_FORM
    if source != EnquirySource.STAFF:
        raise ValidationFailed("Unknown enquiry source.")
    return actor


def _lead_mediator(actor: Any, organisation: Organisation, source: str) -> Any:
    if source != EnquirySource.STAFF:
        return None
    roles = roles_in(actor, organisation.pk)
    if Role.MEDIATOR in roles and not roles & {Role.SERVICE_ADMIN, Role.COORDINATOR}:
        # A mediator who takes an enquiry leads its case, so they may add its people.
        return actor
    return None


def _open_case(
    *, actor: Any, organisation: Organisation, source: str, kind: str, names: list[str]
) -> Case:
    title = " / ".join(filter(None, (_surname(str(n).strip()) for n in names))) or "Enquiry"
    return case_services.case_open(
        actor=actor,
        organisation=organisation,
        kind=kind,
        title=title[:200],
        lead_mediator=_lead_mediator(actor, organisation, source),
    )


def _add_person(*, actor: Any, case: Case, prefix: str, details: dict[str, Any]) -> Any:
    try:
        return case_services.participant_add(actor=actor, case=case, **details)
    except ValidationFailed as exc:
        raise _prefixed(exc, prefix) from None


def _received(*, actor: Any, enquiry: Enquiry, source: str, details: dict[str, Any]) -> None:
    audit_record(
        organisation_id=enquiry.organisation_id,
        actor=actor,
        action="enquiry.received",
        target=enquiry,
        case_id=enquiry.case_id,
        # Kinds, issues and counts only: names and contact details stay out of the audit trail.
        details={"source": source, "kind": enquiry.case.kind, **details},
        actor_label="public enquiry form" if source == EnquirySource.PUBLIC else "",
    )


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
    """Open a family case from an enquiry, with its people and children: all of it, or none."""
    actor = _check_source(actor, source)
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
    errors.update(_check_safe_contact(source=source, applicant=applicant))
    kind = case_kind_for(issues)
    if "issues" not in errors and not organisation.offers(kind):
        errors["issues"] = [_not_offered(organisation, kind)]
    if errors:
        raise ValidationFailed("Check the enquiry.", field_errors=errors)
    case = _open_case(
        actor=actor,
        organisation=organisation,
        source=source,
        kind=kind,
        names=[applicant["full_name"], *(p.get("full_name", "") for p in other_parties)],
    )
    _add_person(
        actor=actor, case=case, prefix="", details={"role": ParticipantRole.PARTY, **applicant}
    )
    safety: dict[str, str] = {}
    for number, party in enumerate(other_parties, start=1):
        details = {k: v for k, v in party.items() if k != "safe_to_contact"}
        answer = party["safe_to_contact"]
        if answer == SafeToContact.NO:
            details["safe_contact_notes"] = (
                "Not safe to contact, according to the person who enquired."
            )
        person = _add_person(
            actor=actor,
            case=case,
            prefix=f"other_{number}_",
            details={"role": ParticipantRole.PARTY, **details},
        )
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
    _conflict_hits_store(enquiry)
    _received(
        actor=actor,
        enquiry=enquiry,
        source=source,
        details={
            "issues": issues,
            "urgency": urgency,
            "children": len(children),
            "other_parties": len(other_parties),
        },
    )
    return enquiry


#: Who may ask for SEND mediation: a parent (or carer) of the child, or the young person.
SEND_APPLICANT_ROLES = (ParticipantRole.PARENT_CARER, ParticipantRole.YOUNG_PERSON)


@transaction.atomic
def send_enquiry_submit(
    *,
    actor: Any,
    organisation: Organisation,
    source: str,
    applicant: dict[str, Any],
    applicant_role: str,
    child: dict[str, Any],
    local_authority: dict[str, Any],
    la_decision: str,
    la_decision_date: dt.date | None,
    urgency: str,
    submitter_ip: str = "",
) -> Enquiry:
    """Open a SEND case: the parent or young person as party, the LA, and the child named."""
    actor = _check_source(actor, source)
    errors = _check_common(
        applicant=applicant, urgency=urgency, court_proceedings=False, court_details=""
    )
    errors.update(_check_safe_contact(source=source, applicant=applicant))
    today = timezone.localdate()
    if not organisation.offers(CaseKind.SEND):
        errors["__all__"] = [_not_offered(organisation, CaseKind.SEND)]
    if applicant_role not in SEND_APPLICANT_ROLES:
        errors["applicant_role"] = ["Say whether you are the parent or carer, or the young person."]
    child_name = str(child.get("full_name") or "").strip()
    child_dob = child.get("date_of_birth")
    if not child_name:
        errors["child_full_name"] = ["Enter the name of the child or young person."]
    elif len(child_name) > 200:
        errors["child_full_name"] = ["The name must be 200 characters or fewer."]
    if child_dob is None:
        errors["child_date_of_birth"] = ["Enter the child or young person's date of birth."]
    elif child_dob > today:
        errors["child_date_of_birth"] = ["The date of birth must be in the past."]
    la_name = str(local_authority.get("name") or "").strip()
    if not la_name:
        errors["la_name"] = ["Enter the name of the local authority that made the decision."]
    elif len(la_name) > 200:
        errors["la_name"] = ["The name must be 200 characters or fewer."]
    if la_decision not in LADecision.values:
        errors["la_decision"] = ["Choose the decision you disagree with."]
    if la_decision_date is None:
        errors["la_decision_date"] = ["Enter the date of the local authority's decision."]
    elif la_decision_date > today:
        errors["la_decision_date"] = ["The date of the decision must be today or in the past."]
    elif child_dob is not None and la_decision_date < child_dob:
        errors["la_decision_date"] = [
            "The decision cannot be before the child or young person was born."
        ]
    if errors:
        raise ValidationFailed("Check the enquiry.", field_errors=errors)
    case = _open_case(
        actor=actor,
        organisation=organisation,
        source=source,
        kind=CaseKind.SEND,
        names=[child_name],
    )
    own = dict(applicant)
    if applicant_role == ParticipantRole.YOUNG_PERSON and not own.get("date_of_birth"):
        own["date_of_birth"] = child_dob
    _add_person(actor=actor, case=case, prefix="", details={"role": applicant_role, **own})
    officer = str(local_authority.get("officer_name") or "").strip()
    _add_person(
        actor=actor,
        case=case,
        prefix="la_",
        details={
            "role": ParticipantRole.LA_OFFICER,
            "full_name": officer or la_name,
            "organisation_name": la_name,
            "email": local_authority.get("email") or "",
            "phone": local_authority.get("phone") or "",
        },
    )
    enquiry = Enquiry.objects.create(
        organisation=organisation,
        case=case,
        source=source,
        urgency=urgency,
        la_decision=la_decision,
        la_decision_date=la_decision_date,
        submitted_at=timezone.now(),
        submitter_ip_hash=ip_hash(submitter_ip) if submitter_ip else "",
    )
    Child.objects.create(enquiry=enquiry, full_name=child_name, date_of_birth=child_dob)
    _conflict_hits_store(enquiry)
    _received(
        actor=actor,
        enquiry=enquiry,
        source=source,
        details={"urgency": urgency, "la_decision": la_decision, "applicant_role": applicant_role},
    )
    return enquiry


@transaction.atomic
def general_enquiry_submit(
    *,
    actor: Any,
    organisation: Organisation,
    source: str,
    kind: str,
    applicant: dict[str, Any],
    other_parties: list[dict[str, Any]],
    dispute_summary: str,
    urgency: str,
    court_proceedings: bool = False,
    court_details: str = "",
    submitter_ip: str = "",
) -> Enquiry:
    """Open a civil, workplace or community case with the parties or organisations named."""
    actor = _check_source(actor, source)
    errors = _check_common(
        applicant=applicant,
        urgency=urgency,
        court_proceedings=court_proceedings,
        court_details=court_details,
    )
    errors.update(_check_safe_contact(source=source, applicant=applicant))
    if kind not in GENERAL_KINDS:
        errors["kind"] = ["Choose civil, workplace or community mediation."]
    elif not organisation.offers(kind):
        errors["kind"] = [_not_offered(organisation, kind)]
    summary = (dispute_summary or "").strip()
    if not summary:
        errors["dispute_summary"] = ["Tell us what the dispute is about."]
    elif len(summary) > 4000:
        errors["dispute_summary"] = ["This must be 4,000 characters or fewer."]
    if len(other_parties) > MAX_OTHER_PARTIES:
        errors["__all__"] = ["Too many people were sent with the enquiry."]
    for number, party in enumerate(other_parties, start=1):
        if not str(party.get("full_name") or "").strip():
            errors[f"other_{number}_full_name"] = [
                "Enter the name of the other person or organisation."
            ]
    if errors:
        raise ValidationFailed("Check the enquiry.", field_errors=errors)
    case = _open_case(
        actor=actor,
        organisation=organisation,
        source=source,
        kind=kind,
        names=[
            applicant.get("organisation_name") or applicant["full_name"],
            *(p.get("organisation_name") or p.get("full_name", "") for p in other_parties),
        ],
    )
    _add_person(
        actor=actor, case=case, prefix="", details={"role": ParticipantRole.PARTY, **applicant}
    )
    for number, party in enumerate(other_parties, start=1):
        _add_person(
            actor=actor,
            case=case,
            prefix=f"other_{number}_",
            details={"role": ParticipantRole.PARTY, **party},
        )
    enquiry = Enquiry.objects.create(
        organisation=organisation,
        case=case,
        source=source,
        urgency=urgency,
        dispute_summary=summary,
        court_proceedings=court_proceedings,
        court_details=court_details.strip()[:2000] if court_proceedings else "",
        submitted_at=timezone.now(),
        submitter_ip_hash=ip_hash(submitter_ip) if submitter_ip else "",
    )
    _conflict_hits_store(enquiry)
    _received(
        actor=actor,
        enquiry=enquiry,
        source=source,
        details={"urgency": urgency, "other_parties": len(other_parties)},
    )
    return enquiry


def _conflict_hits_store(enquiry: Enquiry) -> None:
    """Run the conflict check for the enquiry's case and keep its result on the enquiry."""
    enquiry.conflict_hits = conflict_hits_find(case=enquiry.case)
    enquiry.conflict_checked_at = timezone.now()
    enquiry.save(update_fields=["conflict_hits", "conflict_checked_at"])


@transaction.atomic
def conflict_check_run(*, actor: Any, enquiry: Enquiry) -> Enquiry:
    """Run the conflict check again (people were added or changed since the enquiry came in)."""
    enquiry = Enquiry.objects.select_for_update().select_related("case").get(pk=enquiry.pk)
    case: Case = enquiry.case
    if not policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not policy.can(actor, "change", case):
        raise NotPermitted("Only the service's coordinators and the case's mediators can do this.")
    _conflict_hits_store(enquiry)
    audit_record(
        organisation_id=enquiry.organisation_id,
        actor=actor,
        action="enquiry.conflict_check_run",
        target=enquiry,
        case_id=case.pk,
        # Only what the actor may see is counted (matches in hidden cases are never counted).
        details={"matches_seen": conflict_summary(user=actor, case=case, limit=0).total},
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
