"""Every change to complaints: recording one (staff or portal), acknowledging, responding,
the FMSB consent, and sharing it with the member of staff it is about.

Audit events name the complaint and ids only (never the complainant's words), and carry no case,
so the complaint never appears on the case timeline the mediator reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.calendar import london_date
from accord.cases.models import Case, Participant
from accord.complaints import dates, policy
from accord.complaints.models import ComplainantKind, Complaint, ComplaintOutcome
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import Organisation
from accord.organisations.selectors import roles_in

TEXT_LIMIT = 10000


def _clean(text: Any, *, limit: int) -> str:
    return text.strip()[:limit] if isinstance(text, str) else ""


def _check_date(value: Any, field: str, what: str, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[field] = [f"Enter {what} as a date."]
    elif value > london_date(timezone.now()):
        errors[field] = [f"{what[0].upper()}{what[1:]} cannot be in the future."]


def _audit(actor: Any, complaint: Complaint, action: str, **details: Any) -> None:
    audit_record(
        organisation_id=complaint.organisation_id,
        actor=actor,
        action=action,
        target=complaint,
        case_id=None,
        details={"complaint_id": complaint.pk, **details},
    )


def _create(
    *,
    actor: Any,
    organisation: Organisation,
    case: Case | None,
    complainant_kind: str,
    complainant: Participant | None,
    complainant_name: str,
    complainant_contact: str,
    about_staff: Any,
    about: str,
    received_on: dt.date,
    fmsb_consent: bool,
    via_portal: bool,
) -> Complaint:
    complaint = Complaint.objects.create(
        organisation=organisation,
        case=case,
        complainant_kind=complainant_kind,
        complainant=complainant,
        complainant_name=complainant_name,
        complainant_contact=complainant_contact,
        about_staff=about_staff,
        about=about,
        received_on=received_on,
        acknowledge_due=dates.due_from(
            organisation=organisation, code=dates.ACKNOWLEDGE, start=received_on
        ),
        respond_due=dates.due_from(
            organisation=organisation, code=dates.RESPOND, start=received_on
        ),
        fmsb_consent=fmsb_consent,
        via_portal=via_portal,
        recorded_by=actor,
    )
    _audit(
        actor,
        complaint,
        "complaint.received",
        via_portal=via_portal,
        complainant_kind=complainant_kind,
        about_staff_id=getattr(about_staff, "pk", None),
    )
    return complaint


@transaction.atomic
def complaint_record(
    *,
    actor: Any,
    organisation: Organisation,
    complainant_kind: str,
    complainant_name: str,
    about: str,
    received_on: dt.date | None,
    case: Case | None = None,
    complainant: Participant | None = None,
    complainant_contact: str = "",
    about_staff: Any = None,
    fmsb_consent: bool = False,
) -> Complaint:
    """Log a complaint received by letter, email or phone (service admins and supervisors)."""
    if organisation.pk not in policy.handler_organisations(actor):
        raise NotPermitted("Only the service's admins and supervisors log complaints.")
    errors: dict[str, list[str]] = {}
    if complainant_kind not in ComplainantKind.values:
        errors["complainant_kind"] = [
            "Choose who is complaining: a party, former party or third party."
        ]
    if case is not None and case.organisation_id != organisation.pk:
        errors["case"] = ["Choose a case of this service."]
    if complainant is not None and (case is None or complainant.case_id != case.pk):
        errors["complainant"] = ["Choose a participant of the case complained about."]
    if complainant_kind in (ComplainantKind.PARTY, ComplainantKind.FORMER_PARTY) and case is None:
        errors["case"] = ["A party's complaint is about a case: choose the case."]
    name = _clean(complainant_name, limit=201)
    if complainant is not None and not name:
        name = complainant.full_name
    if not name:
        errors["complainant_name"] = ["Enter the complainant's name."]
    elif len(name) > 200:
        errors["complainant_name"] = ["The name must be 200 characters or fewer."]
    contact = _clean(complainant_contact, limit=301)
    if len(contact) > 300:
        errors["complainant_contact"] = ["The contact details must be 300 characters or fewer."]
    text = _clean(about, limit=TEXT_LIMIT + 1)
    if not text:
        errors["about"] = ["Say what the complaint is about."]
    elif len(text) > TEXT_LIMIT:
        errors["about"] = [f"Keep the complaint to {TEXT_LIMIT} characters or fewer."]
    if about_staff is not None and not roles_in(about_staff, organisation.pk):
        errors["about_staff"] = ["Choose a member of this service's staff, or nobody."]
    _check_date(received_on, "received_on", "the date it was received", errors)
    if errors or received_on is None:
        raise ValidationFailed("The complaint could not be logged.", field_errors=errors)
    return _create(
        actor=actor,
        organisation=organisation,
        case=case,
        complainant_kind=complainant_kind,
        complainant=complainant,
        complainant_name=name,
        complainant_contact=contact,
        about_staff=about_staff,
        about=text,
        received_on=received_on,
        fmsb_consent=bool(fmsb_consent),
        via_portal=False,
    )


@transaction.atomic
def complaint_make_from_portal(
    *, actor: Any, case: Case, about: str, about_mediator: bool, fmsb_consent: bool = False
) -> Complaint:
    """A party (or former party) complains from the portal about their case."""
    me = (
        Participant.objects.filter(
            case=case, user_id=int(getattr(actor, "pk", 0) or 0), portal_access=True
        )
        .order_by("id")
        .first()
    )
    if me is None or not me.is_party:
        raise NotFoundOrHidden("No such case.")
    errors: dict[str, list[str]] = {}
    text = _clean(about, limit=TEXT_LIMIT + 1)
    if not text:
        errors["about"] = ["Tell us what your complaint is about."]
    elif len(text) > TEXT_LIMIT:
        errors["about"] = [f"Keep your complaint to {TEXT_LIMIT} characters or fewer."]
    if errors:
        raise ValidationFailed("Your complaint could not be sent.", field_errors=errors)
    return _create(
        actor=actor,
        organisation=case.organisation,
        case=case,
        complainant_kind=ComplainantKind.FORMER_PARTY if case.is_closed else ComplainantKind.PARTY,
        complainant=me,
        complainant_name=me.full_name,
        complainant_contact="",
        about_staff=case.lead_mediator if about_mediator else None,
        about=text,
        received_on=london_date(timezone.now()),
        fmsb_consent=bool(fmsb_consent),
        via_portal=True,
    )


def _locked_for(actor: Any, complaint: Complaint, *, share: bool = False) -> Complaint:
    locked = (
        Complaint.objects.select_for_update().select_related("organisation").get(pk=complaint.pk)
    )
    if not policy.can_view(actor, locked):
        raise NotFoundOrHidden("No such complaint.")
    allowed = policy.can_share(actor, locked) if share else policy.can_handle(actor, locked)
    if not allowed:
        raise NotPermitted(
            "Only a service admin may share a complaint."
            if share
            else "Only the service's admins and supervisors handle complaints."
        )
    if locked.erased_at is not None:
        raise ValidationFailed("This complaint has been erased under the retention schedule.")
    return locked


@transaction.atomic
def complaint_acknowledge(*, actor: Any, complaint: Complaint, on: dt.date | None) -> Complaint:
    """Record the day the complaint was acknowledged."""
    complaint = _locked_for(actor, complaint)
    errors: dict[str, list[str]] = {}
    _check_date(on, "on", "the date of the acknowledgement", errors)
    if not errors and on is not None and on < complaint.received_on:
        errors["on"] = ["The acknowledgement cannot be before the complaint was received."]
    if complaint.acknowledged_on is not None:
        errors["__all__"] = ["The complaint has already been acknowledged."]
    if errors or on is None:
        general = errors.get("__all__", ["The acknowledgement could not be recorded."])[0]
        raise ValidationFailed(general, field_errors=errors)
    complaint.acknowledged_on = on
    complaint.save(update_fields=["acknowledged_on", "updated_at"])
    _audit(
        actor,
        complaint,
        "complaint.acknowledged",
        on=on.isoformat(),
        late=bool(london_date(complaint.acknowledge_due) < on),
    )
    return complaint


@transaction.atomic
def complaint_respond(
    *, actor: Any, complaint: Complaint, on: dt.date | None, outcome: str, summary: str
) -> Complaint:
    """Record the service's response and its outcome; the FMSB window starts from it."""
    complaint = _locked_for(actor, complaint)
    errors: dict[str, list[str]] = {}
    _check_date(on, "on", "the date of the response", errors)
    if not errors and on is not None and on < complaint.received_on:
        errors["on"] = ["The response cannot be before the complaint was received."]
    if outcome not in ComplaintOutcome.values:
        errors["outcome"] = ["Choose the outcome: upheld, partly upheld, not upheld or withdrawn."]
    text = _clean(summary, limit=TEXT_LIMIT + 1)
    if not text:
        errors["summary"] = ["Summarise the response."]
    elif len(text) > TEXT_LIMIT:
        errors["summary"] = [f"Keep the summary to {TEXT_LIMIT} characters or fewer."]
    if complaint.responded_on is not None:
        errors["__all__"] = ["The complaint already has a response."]
    if errors or on is None:
        general = errors.get("__all__", ["The response could not be recorded."])[0]
        raise ValidationFailed(general, field_errors=errors)
    complaint.responded_on = on
    if complaint.acknowledged_on is None:
        complaint.acknowledged_on = on
    complaint.outcome = outcome
    complaint.response_summary = text
    complaint.save(
        update_fields=[
            "responded_on",
            "acknowledged_on",
            "outcome",
            "response_summary",
            "updated_at",
        ]
    )
    _audit(actor, complaint, "complaint.responded", on=on.isoformat(), outcome=outcome)
    return complaint


@transaction.atomic
def complaint_consent_set(*, actor: Any, complaint: Complaint, consent: bool) -> Complaint:
    """Record whether the complainant consents to release the file to the FMSB."""
    if not isinstance(consent, bool):
        raise ValidationFailed("Say whether the complainant consents.")
    complaint = _locked_for(actor, complaint)
    complaint.fmsb_consent = consent
    complaint.save(update_fields=["fmsb_consent", "updated_at"])
    _audit(actor, complaint, "complaint.consent_recorded", consent=consent)
    return complaint


@transaction.atomic
def complaint_share_with_subject(*, actor: Any, complaint: Complaint) -> Complaint:
    """Let the member of staff complained about read the complaint (an admin's decision)."""
    complaint = _locked_for(actor, complaint, share=True)
    if complaint.about_staff_id is None:
        raise ValidationFailed("The complaint is not about a member of staff.")
    if complaint.shared_with_subject:
        raise ValidationFailed("The complaint is already shared with them.")
    complaint.shared_with_subject = True
    complaint.save(update_fields=["shared_with_subject", "updated_at"])
    _audit(actor, complaint, "complaint.shared", staff_id=complaint.about_staff_id)
    return complaint
