"""Every change to cases and participants: checked, validated, audited, atomic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy
from accord.cases.models import (
    Case,
    CaseKind,
    CaseReferenceCounter,
    ContactMethod,
    Participant,
    ParticipantRole,
)
from accord.cases.workflows import workflow_for
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import MediatorProfile, Organisation, Role
from accord.organisations.selectors import roles_in

PARTICIPANT_FIELDS = (
    "role",
    "full_name",
    "organisation_name",
    "email",
    "phone",
    "address",
    "date_of_birth",
    "confidential_address",
    "safe_contact_methods",
    "safe_contact_notes",
)


class _PublicEnquiryForm:
    """The actor for a case opened by the public enquiry form: no person and no staff role."""

    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return "public enquiry form"


#: Only `accord.intake.services.enquiry_submit` passes this; no view or API accepts it as input.
PUBLIC_ENQUIRY_FORM = _PublicEnquiryForm()


def _actor_label(actor: Any) -> str:
    return str(actor) if actor is PUBLIC_ENQUIRY_FORM else ""


def _require(user: Any, action: str, case: Case) -> None:
    """Raise 404 if the user may not see the case, 403 if they may see it but not act."""
    if not policy.can(user, "view", case):
        raise NotFoundOrHidden("No such case.")
    if not policy.can(user, action, case):
        raise NotPermitted("You do not have permission to do that on this case.")


def case_locked_for(
    *,
    actor: Any,
    case: Case,
    action: str,
    refusal: str = "You may not do that on this case.",
    lock: bool = True,
) -> Case:
    """The case, row-locked for a service that changes something of it.

    404 for people who may not open its workspace (they must not learn it exists), 403 with
    `refusal` for staff who may look but not perform `action`. Every app's services start here.
    With `lock=False` the same checks on a plain read: the look that a service takes before it
    renders a document outside any transaction (accord.documents.produce).
    """
    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.select_related("organisation").get(pk=case.pk)
    if not policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not policy.can(actor, action, case):
        raise NotPermitted(refusal)
    return case


def _next_reference(organisation: Organisation, year: int) -> str:
    """Issue the next reference for the service and year, e.g. ACC-2026-000123."""
    counter, _ = CaseReferenceCounter.objects.get_or_create(organisation=organisation, year=year)
    counter = CaseReferenceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{organisation.reference_prefix}-{year}-{counter.last_number:06d}"


def _check_team(
    organisation: Organisation,
    *,
    lead_mediator: Any,
    co_mediator: Any,
    supervisor: Any,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, person, role in (
        ("lead_mediator", lead_mediator, Role.MEDIATOR),
        ("co_mediator", co_mediator, Role.MEDIATOR),
        ("supervisor", supervisor, Role.SUPERVISOR),
    ):
        if person is not None and role not in roles_in(person, organisation.pk):
            errors[field] = [f"{person} is not a {role.label.lower()} in this service."]
    if lead_mediator is not None and co_mediator is not None and lead_mediator == co_mediator:
        errors["co_mediator"] = ["The co-mediator must be someone other than the lead mediator."]
    return errors


def _default_supervisor(organisation: Organisation, lead_mediator: Any) -> Any:
    if lead_mediator is None:
        return None
    profile = (
        MediatorProfile.objects.filter(organisation=organisation, user=lead_mediator)
        .select_related("supervisor")
        .first()
    )
    return profile.supervisor if profile else None


@transaction.atomic
def case_open(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    title: str,
    summary: str = "",
    lead_mediator: Any = None,
    co_mediator: Any = None,
    supervisor: Any = None,
    opened_at: dt.datetime | None = None,
) -> Case:
    """Open a new case in the first stage of its kind's workflow, with a fresh reference."""
    public = actor is PUBLIC_ENQUIRY_FORM
    roles = set() if public else roles_in(actor, organisation.pk)
    if not public and not roles & {Role.SERVICE_ADMIN, Role.COORDINATOR, Role.MEDIATOR}:
        raise NotPermitted("Only the service's coordinators, mediators and admins can open cases.")
    errors: dict[str, list[str]] = {}
    if kind not in CaseKind.values:
        errors["kind"] = [f"Choose a kind of case; {kind!r} is not one."]
    elif not organisation.offers(kind):
        errors["kind"] = [
            f"{organisation.name} does not offer {CaseKind(kind).label} mediation; its service "
            "admin can add it in the service settings."
        ]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Enter a short title for the case, such as the parties' surnames."]
    elif len(title) > 200:
        errors["title"] = ["The title must be 200 characters or fewer."]
    if supervisor is None:
        supervisor = _default_supervisor(organisation, lead_mediator)
    errors.update(
        _check_team(
            organisation,
            lead_mediator=lead_mediator,
            co_mediator=co_mediator,
            supervisor=supervisor,
        )
    )
    if errors:
        raise ValidationFailed("The case could not be opened.", field_errors=errors)
    now = opened_at or timezone.now()
    case = Case.objects.create(
        organisation=organisation,
        reference=_next_reference(organisation, timezone.localtime(now).year),
        kind=kind,
        stage=workflow_for(kind).first.code,
        title=title,
        summary=summary.strip(),
        lead_mediator=lead_mediator,
        co_mediator=co_mediator,
        supervisor=supervisor,
        opened_at=now,
        stage_changed_at=now,
        created_by=None if public else actor,
    )
    if public:
        # Lets the same public submission add its people to this case, and to no other.
        case._opened_by_public_form = True  # type: ignore[attr-defined]
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="case.opened",
        target=case,
        case_id=case.pk,
        details={"kind": kind, "stage": case.stage, "reference": case.reference},
        actor_label=_actor_label(actor),
    )
    return case


@transaction.atomic
def case_change_stage(*, actor: Any, case: Case, to_stage: str, reason: str) -> Case:
    """Move a case to another stage if its workflow allows the move; record who and why."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, "move_stage", case)
    workflow = case.workflow
    reason = (reason or "").strip()
    if not workflow.has_stage(to_stage):
        raise ValidationFailed(
            f"{to_stage!r} is not a stage of {workflow.name.lower()}.",
            field_errors={"to_stage": ["Choose one of the stages offered."]},
        )
    if not workflow.allows(case.stage, to_stage):
        allowed = ", ".join(stage.label for stage in workflow.allowed_from(case.stage)) or "none"
        message = (
            f"A case at “{case.stage_label}” cannot move to “{workflow.stage(to_stage).label}”. "
            f"Allowed next stages: {allowed}."
        )
        raise ValidationFailed(message, field_errors={"to_stage": [message]})
    # Apps built on this one may refuse a move (safeguarding: no session stages while paused).
    from accord.cases.progress import ensure_stage_allowed

    ensure_stage_allowed(case, to_stage)
    if not reason:
        raise ValidationFailed(
            "Say why the case is moving.", field_errors={"reason": ["Enter a reason."]}
        )
    if len(reason) > 2000:
        raise ValidationFailed(
            "The reason is too long.",
            field_errors={"reason": ["The reason must be 2,000 characters or fewer."]},
        )
    from_stage = case.stage
    now = timezone.now()
    case.stage = to_stage
    case.stage_changed_at = now
    case.closed_at = now if to_stage == "closed" else None
    case.save(update_fields=["stage", "stage_changed_at", "closed_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="case.stage_changed",
        target=case,
        case_id=case.pk,
        details={"from": from_stage, "to": to_stage, "reason": reason},
    )
    return case


@transaction.atomic
def case_update_details(*, actor: Any, case: Case, title: str, summary: str) -> Case:
    """Change a case's title and summary."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require(actor, "change", case)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(
            "The case could not be saved.", field_errors={"title": ["Enter a title."]}
        )
    if len(title) > 200:
        raise ValidationFailed(
            "The case could not be saved.",
            field_errors={"title": ["The title must be 200 characters or fewer."]},
        )
    changed = [
        name
        for name, value in (("title", title), ("summary", summary.strip()))
        if getattr(case, name) != value
    ]
    if not changed:
        return case
    case.title = title
    case.summary = summary.strip()
    case.save(update_fields=["title", "summary", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="case.updated",
        target=case,
        case_id=case.pk,
        details={"fields": changed},
    )
    return case


@transaction.atomic
def case_assign_team(
    *, actor: Any, case: Case, lead_mediator: Any, co_mediator: Any, supervisor: Any
) -> Case:
    """Set the case team: lead mediator, co-mediator and supervisor."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    _require(actor, "manage_team", case)
    errors = _check_team(
        case.organisation,
        lead_mediator=lead_mediator,
        co_mediator=co_mediator,
        supervisor=supervisor,
    )
    if errors:
        raise ValidationFailed("The case team could not be saved.", field_errors=errors)
    before = {
        "lead_mediator": case.lead_mediator_id,
        "co_mediator": case.co_mediator_id,
        "supervisor": case.supervisor_id,
    }
    case.lead_mediator = lead_mediator
    case.co_mediator = co_mediator
    case.supervisor = supervisor
    after = {
        "lead_mediator": case.lead_mediator_id,
        "co_mediator": case.co_mediator_id,
        "supervisor": case.supervisor_id,
    }
    if before == after:
        return case
    case.save(update_fields=["lead_mediator", "co_mediator", "supervisor", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="case.team_changed",
        target=case,
        case_id=case.pk,
        details={"before": before, "after": after},
    )
    return case


def _clean_participant(data: dict[str, Any]) -> dict[str, Any]:
    """Validate participant fields, returning cleaned values or raising field errors."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    role = data.get("role")
    if role not in ParticipantRole.values:
        errors["role"] = ["Choose the participant's role."]
    cleaned["role"] = role
    full_name = str(data.get("full_name") or "").strip()
    if not full_name:
        errors["full_name"] = ["Enter the participant's full name."]
    elif len(full_name) > 200:
        errors["full_name"] = ["The name must be 200 characters or fewer."]
    cleaned["full_name"] = full_name
    email = str(data.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                "Enter an email address in the correct format, like name@example.com."
            ]
    cleaned["email"] = email
    phone = str(data.get("phone") or "").strip()
    if phone and (len(phone) > 40 or not all(ch.isdigit() or ch in " +()-" for ch in phone)):
        errors["phone"] = ["Enter a phone number using digits, spaces, +, ( ) and - only."]
    cleaned["phone"] = phone
    for name, limit in (
        ("organisation_name", 200),
        ("address", 1000),
        ("safe_contact_notes", 2000),
    ):
        value = str(data.get(name) or "").strip()
        if len(value) > limit:
            errors[name] = [f"This must be {limit:,} characters or fewer."]
        cleaned[name] = value
    dob = data.get("date_of_birth")
    if dob in ("", None):
        cleaned["date_of_birth"] = None
    elif isinstance(dob, dt.date) and not isinstance(dob, dt.datetime):
        if dob > timezone.localdate():
            errors["date_of_birth"] = ["The date of birth must be in the past."]
        elif dob.year < 1900:
            errors["date_of_birth"] = ["The date of birth must be after 1900."]
        cleaned["date_of_birth"] = dob
    else:
        errors["date_of_birth"] = ["Enter the date of birth as a real date."]
    methods = data.get("safe_contact_methods") or []
    if not isinstance(methods, list | tuple) or any(m not in ContactMethod.values for m in methods):
        errors["safe_contact_methods"] = ["Choose safe contact methods from the list."]
        methods = []
    cleaned["safe_contact_methods"] = sorted(set(methods))
    cleaned["confidential_address"] = bool(data.get("confidential_address", False))
    if errors:
        raise ValidationFailed("Check the participant's details.", field_errors=errors)
    return cleaned


@transaction.atomic
def participant_add(*, actor: Any, case: Case, **data: Any) -> Participant:
    """Add a participant to a case; contact details never go into the audit trail."""
    public_ok = actor is PUBLIC_ENQUIRY_FORM and getattr(case, "_opened_by_public_form", False)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not public_ok:
        _require(actor, "manage_participants", case)
    unknown = set(data) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValidationFailed(
            "Unknown fields.", field_errors={name: ["Not a participant field."] for name in unknown}
        )
    cleaned = _clean_participant(data)
    participant = Participant(organisation_id=case.organisation_id, case=case, **cleaned)
    participant.set_keys()
    participant.save(force_insert=True)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="participant.added",
        target=participant,
        case_id=case.pk,
        details={"role": participant.role},
        actor_label=_actor_label(actor),
    )
    return participant


@transaction.atomic
def participant_update(*, actor: Any, participant: Participant, **data: Any) -> Participant:
    """Change a participant's details; the audit records which fields changed, not their values."""
    participant = (
        Participant.objects.select_for_update().select_related("case").get(pk=participant.pk)
    )
    _require(actor, "manage_participants", participant.case)
    unknown = set(data) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValidationFailed(
            "Unknown fields.", field_errors={name: ["Not a participant field."] for name in unknown}
        )
    if participant.confidential_address and not policy.can(
        actor, "view_confidential_address", participant.case
    ):
        # Changing a hidden address (or lifting the flag) would reveal it to someone who may
        # not see it: only the case team may do that.
        touched = [
            name
            for name in ("address", "confidential_address")
            if name in data and data[name] != getattr(participant, name)
        ]
        if touched:
            raise NotPermitted(
                "Only the case team can change a confidential address or lift its protection."
            )
    merged = {name: getattr(participant, name) for name in PARTICIPANT_FIELDS}
    merged.update(data)
    cleaned = _clean_participant(merged)
    changed = [name for name, value in cleaned.items() if getattr(participant, name) != value]
    if not changed:
        return participant
    for name in changed:
        setattr(participant, name, cleaned[name])
    keys = participant.set_keys() if {"full_name", "email", "phone"} & set(changed) else []
    participant.save(update_fields=[*changed, *keys, "updated_at"])
    audit_record(
        organisation_id=participant.organisation_id,
        actor=actor,
        action="participant.updated",
        target=participant,
        case_id=participant.case_id,
        details={"fields": changed},
    )
    return participant


@transaction.atomic
def participant_invite_to_portal(
    *, actor: Any, participant: Participant, base_url: str | None = None
) -> Participant:
    """Give a participant a portal login by emailing a single-use, expiring link.

    The email goes through the outbox in this transaction, like every other email, so an
    unreachable mail server delays it (the worker retries) instead of answering 500.
    """
    from django.template.loader import render_to_string

    from accord.accounts.models import User
    from accord.accounts.services import invitation_create
    from accord.deadlines.outbox import email_enqueue

    participant = (
        Participant.objects.select_for_update()
        .select_related("case", "case__organisation")
        .get(pk=participant.pk)
    )
    _require(actor, "manage_participants", participant.case)
    if not participant.email:
        raise ValidationFailed(
            "Add an email address before inviting this participant.",
            field_errors={"email": ["An email address is needed to send the invitation."]},
        )
    if not participant.safe_to_contact_by(ContactMethod.EMAIL):
        raise ValidationFailed(
            "Email is not a safe way to contact this participant.",
            field_errors={"safe_contact_methods": ["Email is not listed as safe for this person."]},
        )
    user = participant.user or User.objects.filter(email__iexact=participant.email).first()
    if user is None:
        user = User.objects.create_user(participant.email, full_name=participant.full_name)
    elif user.memberships.filter(
        organisation_id=participant.organisation_id, is_active=True
    ).exists() and policy.can(user, "view_workspace", participant.case):
        # Staff of this service who are parties use the portal only where neither their role
        # nor the case team opens the workspace to them (a mediator not on the team, say).
        raise ValidationFailed(
            "This email belongs to a member of staff who can open this case's workspace.",
            field_errors={
                "email": [
                    "This person is staff of this service with access to this case, so they "
                    "cannot also be a party in the portal. Take them off the case team, or "
                    "ask another service to mediate."
                ]
            },
        )
    participant.user = user
    participant.portal_access = True
    participant.save(update_fields=["user", "portal_access", "updated_at"])
    invitation, secret = invitation_create(
        actor=actor, user=user, organisation_id=participant.organisation_id
    )
    if base_url is None:
        from accord.core.links import site_url

        base_url = site_url()
    link = f"{base_url.rstrip('/')}/invite/{secret}/"
    context = {
        "participant": participant,
        "service": participant.case.organisation,
        "link": link,
    }
    # The email names the service only: nothing about the case or other people in it.
    email_enqueue(
        organisation_id=participant.organisation_id,
        key=f"participant.{participant.pk}.invitation.{invitation.pk}",
        to_email=participant.email,
        subject=f"Your invitation from {participant.case.organisation.name}",
        body=render_to_string("accounts/email/invitation.txt", context),
    )
    audit_record(
        organisation_id=participant.organisation_id,
        actor=actor,
        action="participant.invited",
        target=participant,
        case_id=participant.case_id,
    )
    return participant
