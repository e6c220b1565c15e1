"""MIAM certificates: signed by the accredited mediator for a party's court application."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings.models import (
    LEGACY_CERTIFICATE_OUTCOMES,
    CertificateOutcome,
    CourtApplication,
    Miam,
    MiamCertificate,
    MiamStatus,
)

# MIAM certificates (DOMAIN.md 2.1 step 5)

CERTIFICATE_VALIDITY_RULE = "miam.certificate_validity"
CERTIFICATE_TEMPLATE = "miam-certificate"


def _normalised_name(value: str) -> str:
    """A name compared as typed: case and runs of spaces do not matter."""
    return " ".join(value.split()).casefold()


def miam_certificate_valid_until(*, organisation: Any, miam_date: dt.date) -> dt.date | None:
    """The last day a MIAM on `miam_date` supports a court application, by the rule then in force.

    None when no rule was in force on that date.
    """
    from accord.calendar import london_date, london_wall_time
    from accord.deadlines.due import compute_due
    from accord.deadlines.selectors import calendar_for, rule_in_force

    rule = rule_in_force(organisation=organisation, code=CERTIFICATE_VALIDITY_RULE, on=miam_date)
    if rule is None:
        return None
    due = compute_due(
        unit=rule.unit,
        period=rule.period,
        at_time=rule.at_time,
        # Midday: the rule counts on the MIAM's own date, whatever the hour it started.
        start=london_wall_time(miam_date, dt.time(12, 0)),
        calendar=calendar_for(organisation),
        default_time=dt.time(17, 0),
    )
    return london_date(due)


def certificate_signature_statement(*, party_name: str, miam_date: dt.date) -> str:
    """What the mediator certifies by typing their name and ticking the confirmation."""
    return (
        f"I certify that {party_name} attended a Mediation Information and Assessment Meeting "
        f"with me on {miam_date:%-d %B %Y}, and that the outcome above is true. I sign this "
        "certificate electronically by typing my name and confirming."
    )


def certificate_refusal(*, actor: Any, case: Case) -> str | None:
    """Why this person may not issue MIAM certificates on the case, or None if they may.

    Only an accredited mediator on the case team signs MIAM certificates [FPR 3.1].
    """
    from accord.organisations.models import MediatorProfile

    user_id = getattr(actor, "pk", None)
    if user_id is None or user_id not in (case.lead_mediator_id, case.co_mediator_id):
        return "Only an accredited mediator on the case team can issue a MIAM certificate."
    profile = MediatorProfile.objects.filter(
        organisation_id=case.organisation_id, user_id=user_id
    ).first()
    if profile is None or not profile.is_accredited:
        status = profile.get_accreditation_display() if profile else "no mediator profile"
        return (
            "Only an accredited (FMCA) mediator can sign a MIAM certificate; your status in "
            f"this service is: {status}. Ask an accredited mediator on the case to issue it."
        )
    if not profile.fmc_urn.strip():
        return "Add your FMC registration number (URN) to your mediator profile first."
    return None


@dataclass(frozen=True)
class _CertificatePlan:
    """What a certificate is issued from, checked: the PDF's context and the row's values."""

    miam: Miam
    case: Case
    attended: Participant
    context: dict[str, Any]
    record: dict[str, Any]


def miam_certificate_issue(
    *,
    actor: Any,
    miam: Miam,
    party: Participant,
    outcome: str,
    court_application: str,
    signed_name: str,
    confirm: bool,
    sole_trader_name: str = "",
) -> MiamCertificate:
    """Issue (or reissue) a signed MIAM certificate for a party who attended a held MIAM.

    Allowed on a paused case: the certificate is for the court, which must be able to proceed
    while a safeguarding investigation pauses the mediation. The PDF is rendered before the
    short transaction that stores it, which checks everything again (accord.documents.produce).
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_pdf

    signed_at = timezone.now()

    def look(lock: bool) -> _CertificatePlan:
        return _certificate_plan(
            actor=actor,
            miam=miam,
            party=party,
            outcome=outcome,
            court_application=court_application,
            signed_name=signed_name,
            confirm=confirm,
            sole_trader_name=sole_trader_name,
            signed_at=signed_at,
            lock=lock,
        )

    def render(seen: _CertificatePlan) -> Any:
        # Only what the party and the court may read goes into the PDF: nothing from screening.
        return document_prepare_pdf(
            actor=actor, case=seen.case, template_code=CERTIFICATE_TEMPLATE, context=seen.context
        )

    return render_then_store(
        look=look,
        render=render,
        store=lambda now, pdf: _certificate_store(actor, now, pdf),
        says=lambda seen: seen.context,
        refusal="The MIAM changed while its certificate was being made. Try again.",
    )


def _certificate_plan(
    *,
    actor: Any,
    miam: Miam,
    party: Participant,
    outcome: str,
    court_application: str,
    signed_name: str,
    confirm: bool,
    sole_trader_name: str,
    signed_at: dt.datetime,
    lock: bool,
) -> _CertificatePlan:
    """Check a certificate can be issued and work out what it says (rows locked with `lock`)."""
    from accord.calendar import london_date, to_london
    from accord.organisations.models import MediatorProfile

    miams = Miam.objects.select_for_update() if lock else Miam.objects.all()
    try:
        miam = miams.get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None
    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.select_related("organisation").get(pk=miam.case_id)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    ensure_part_applies(case, "miam_certificate")
    refusal = certificate_refusal(actor=actor, case=case)
    if refusal:
        raise NotPermitted(refusal)
    profile = MediatorProfile.objects.get(organisation_id=case.organisation_id, user_id=actor.pk)
    errors: dict[str, list[str]] = {}
    if miam.status != MiamStatus.HELD:
        errors["__all__"] = ["A certificate can be issued only for a MIAM recorded as held."]
    party_id = getattr(party, "pk", None)
    attended = miam.attendees.filter(pk=party_id).first() if isinstance(party_id, int) else None
    if attended is None:
        errors["party"] = ["Choose a party who attended this MIAM."]
    if outcome in LEGACY_CERTIFICATE_OUTCOMES:
        errors["outcome"] = [
            "That outcome was used only before 29 April 2024. Choose a current outcome."
        ]
    elif outcome not in CertificateOutcome.values:
        errors["outcome"] = ["Choose the outcome of the MIAM."]
    if court_application not in CourtApplication.values:
        errors["court_application"] = ["Choose the court application the certificate supports."]
    sole_trader_name = sole_trader_name.strip() if isinstance(sole_trader_name, str) else ""
    if len(sole_trader_name) > 200:
        errors["sole_trader_name"] = ["The sole trader name must be 200 characters or fewer."]
    typed = signed_name if isinstance(signed_name, str) else ""
    mediator_name = " ".join((actor.full_name or "").split())
    if not typed.strip():
        errors["signed_name"] = ["Type your full name to sign the certificate."]
    elif _normalised_name(typed) != _normalised_name(mediator_name):
        errors["signed_name"] = [
            f"Type your name exactly as it is on your account: {mediator_name}."
        ]
    if confirm is not True:
        errors["confirm"] = ["Tick the box to confirm and sign the certificate."]
    miam_date = london_date(miam.starts_at)
    valid_until = miam_certificate_valid_until(organisation=case.organisation, miam_date=miam_date)
    if valid_until is None:
        errors["__all__"] = ["No MIAM certificate validity rule is in force for this MIAM's date."]
    if errors or attended is None or valid_until is None:
        raise ValidationFailed("The MIAM certificate could not be issued.", field_errors=errors)
    statement = certificate_signature_statement(party_name=attended.full_name, miam_date=miam_date)
    signed_name = " ".join(typed.split())
    context = {
        "service_name": case.organisation.name,
        "sole_trader_name": sole_trader_name,
        "mediator_name": mediator_name,
        "fmc_urn": profile.fmc_urn,
        "party_name": attended.full_name,
        "miam_date": miam_date,
        "outcome_label": CertificateOutcome(outcome).label,
        "court_application_label": CourtApplication(court_application).label,
        "valid_until": valid_until,
        "signature_statement": statement,
        "signed_name": signed_name,
        "signed_at_text": f"{to_london(signed_at):%-d %B %Y at %H:%M} (UK time)",
    }
    return _CertificatePlan(
        miam=miam,
        case=case,
        attended=attended,
        context=context,
        record={
            "mediator_name": mediator_name,
            "fmc_urn": profile.fmc_urn,
            "service_name": case.organisation.name,
            "sole_trader_name": sole_trader_name,
            "miam_date": miam_date,
            "outcome": outcome,
            "valid_until": valid_until,
            "court_application": court_application,
            "signed_name": signed_name,
            "signed_at": signed_at,
            "signature_statement": statement,
        },
    )


def _certificate_store(actor: Any, plan: _CertificatePlan, pdf: Any) -> MiamCertificate:
    """Store the rendered certificate and its record (inside the short transaction)."""
    from accord.documents.services import document_share, document_store

    miam, case, attended, record = plan.miam, plan.case, plan.attended, plan.record
    version = document_store(
        actor=actor,
        case=case,
        rendered=pdf,
        title=f"MIAM certificate: {attended.full_name}",
        document_code=f"miam-certificate-{miam.pk}-{attended.pk}",
    )
    certificate = MiamCertificate.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        miam=miam,
        party=attended,
        mediator=actor,
        document_version=version,
        issued_by=actor,
        **record,
    )
    if attended.portal_access and attended.user_id:
        # The certificate is the party's own, for their application: it is shared with them only.
        document_share(actor=actor, version=version, participants=[attended])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.certificate_issued",
        target=certificate,
        case_id=case.pk,
        details={
            "certificate_id": certificate.pk,
            "miam_id": miam.pk,
            "participant_id": attended.pk,
            "document_version_id": version.pk,
            "court_application": record["court_application"],
            "valid_until": record["valid_until"].isoformat(),
        },
    )
    return certificate
