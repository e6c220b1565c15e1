"""Every change to MIAMs: validated against the case and the service, audited, atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings.models import (
    CHECKLIST,
    LEGACY_CERTIFICATE_OUTCOMES,
    SCREENING_FLAGS,
    SCREENING_QUESTIONS,
    CertificateOutcome,
    CourtApplication,
    Funding,
    FundingKind,
    LegalAidBasis,
    LegalAidOutcome,
    Miam,
    MiamCertificate,
    MiamMode,
    MiamStatus,
    Screening,
    ScreeningAnswer,
    SuitabilityDecision,
    SuitabilityRoute,
    VoucherLimit,
)
from accord.meetings.routing import Answers, Suggestion, suggest_route
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in

MIAM_DEADLINE_RULE = "miam.within_15_business_days"
MIN_MINUTES, MAX_MINUTES = 5, 480


def _case_for(actor: Any, case: Case, action: str) -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not case_policy.can(actor, action, case):
        raise NotPermitted("You do not have permission to arrange MIAMs on this case.")
    return case


def _aware(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() is not None


def _ensure_miam_deadline(actor: Any, case: Case) -> None:
    """The first MIAM on a family case sets the 15-business-day target, once, from first contact."""
    from accord.deadlines.models import Deadline
    from accord.deadlines.services import deadline_create

    if not case.kind.startswith("family"):
        return
    if Deadline.objects.filter(case=case, rule_code=MIAM_DEADLINE_RULE).exists():
        return
    deadline_create(
        actor=actor,
        case=case,
        rule_code=MIAM_DEADLINE_RULE,
        start=case.opened_at,
        owner=case.lead_mediator or actor,
    )


@transaction.atomic
def miam_book(
    *,
    actor: Any,
    case: Case,
    attendees: Sequence[Participant],
    mediator: Any,
    starts_at: dt.datetime,
    mode: str,
    place: str,
    duration_minutes: int = 45,
    joint: bool = False,
) -> Miam:
    """Book a MIAM for one party (or, on request, a joint MIAM for several) with a mediator."""
    from accord.safeguarding.services import ensure_case_not_paused

    case = _case_for(actor, case, "change")
    ensure_case_not_paused(case, doing="booking a MIAM")
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no MIAM can be booked."]
    people = list(attendees)
    if not people:
        errors["attendees"] = ["Choose who the MIAM is for."]
    elif any(p.case_id != case.pk or not p.is_party for p in people):
        errors["attendees"] = ["Choose parties of this case only."]
    elif len({p.pk for p in people}) != len(people):
        errors["attendees"] = ["Choose each party only once."]
    elif len(people) > 1 and joint is not True:
        # Separate MIAMs are the norm so each party can be screened in private.
        errors["attendees"] = [
            "Choose one party, or tick “Joint MIAM” if the parties have asked for one."
        ]
    if mediator is None or not getattr(mediator, "pk", None):
        errors["mediator"] = ["Choose the mediator."]
    elif not mediator.is_active or Role.MEDIATOR not in roles_in(mediator, case.organisation_id):
        errors["mediator"] = [f"{mediator} is not a mediator of this service."]
    if not _aware(starts_at):
        errors["starts_at"] = ["Enter when the MIAM starts, as a date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The MIAM must start in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the MIAM in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A MIAM lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MiamMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = place.strip() if isinstance(place, str) else ""
    if not place:
        errors["place"] = ["Enter the place, the video link or the number to call."]
    elif len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if errors:
        raise ValidationFailed("The MIAM could not be booked.", field_errors=errors)
    miam = Miam.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        mediator=mediator,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        place=place,
        booked_by=actor,
    )
    miam.attendees.set(people)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.booked",
        target=miam,
        case_id=case.pk,
        details={
            "miam_id": miam.pk,
            "attendee_ids": sorted(p.pk for p in people),
            "mediator_id": mediator.pk,
            "starts_at": starts_at.isoformat(),
            "mode": mode,
            "joint": len(people) > 1,
        },
    )
    _email_attendees(miam, kind="booked", actor=actor)
    _ensure_miam_deadline(actor, case)
    return miam


@transaction.atomic
def miam_record_held(*, actor: Any, miam: Miam, covered: Sequence[str]) -> Miam:
    """Record that a MIAM took place and which checklist items the mediator covered."""
    try:
        miam = Miam.objects.select_for_update().get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None
    case = _case_for(actor, miam.case, "change")
    known = {name for name, _ in CHECKLIST}
    errors: dict[str, list[str]] = {}
    if miam.status != MiamStatus.BOOKED:
        errors["__all__"] = [f"This MIAM is already marked “{miam.get_status_display()}”."]
    elif miam.starts_at > timezone.now():
        errors["__all__"] = ["A MIAM can be recorded as held only once it has started."]
    unknown = [item for item in covered if item not in known]
    if unknown:
        errors["covered"] = ["Choose items from the checklist only."]
    if errors:
        raise ValidationFailed("The MIAM could not be recorded as held.", field_errors=errors)
    ticked = set(covered)
    for name in known:
        setattr(miam, name, name in ticked)
    miam.status = MiamStatus.HELD
    miam.held_recorded_at = timezone.now()
    miam.save(update_fields=[*sorted(known), "status", "held_recorded_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="miam.held",
        target=miam,
        case_id=case.pk,
        details={"miam_id": miam.pk, "covered": sorted(ticked)},
    )
    return miam


# Private screening: restricted to the case's mediators, supervisor and safeguarding lead.

SCREENING_NOTES_LIMIT = 5000
RESTRICTED = "restricted"


def _restricted_case(actor: Any, case: Case) -> Case:
    """The case, row-locked, if the actor may see restricted records on it; else 404."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.can(actor, "view_restricted", case):
        # 404, not 403: the screening's existence is itself restricted.
        raise NotFoundOrHidden("No such screening.")
    return case


@transaction.atomic
def screening_save(
    *, actor: Any, miam: Miam, participant: Participant, answers: dict[str, Any]
) -> Screening:
    """Record or update one party's private screening at a MIAM (screening goes on throughout)."""
    try:
        miam = Miam.objects.get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None
    case = _restricted_case(actor, miam.case)
    if not miam.attendees.filter(pk=participant.pk).exists():
        raise NotFoundOrHidden("No such screening.")
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, label in SCREENING_QUESTIONS:
        value = answers.get(name, ScreeningAnswer.NO)
        if value not in ScreeningAnswer.values:
            errors[name] = [f"{label}: answer yes, no or unsure."]
        clean[name] = value
        notes = answers.get(f"{name}_notes", "")
        notes = notes.strip() if isinstance(notes, str) else ""
        if len(notes) > SCREENING_NOTES_LIMIT:
            errors[f"{name}_notes"] = [
                f"Notes must be {SCREENING_NOTES_LIMIT:,} characters or fewer."
            ]
        clean[f"{name}_notes"] = notes
    for flag in SCREENING_FLAGS:
        value = answers.get(flag, False)
        if not isinstance(value, bool):
            errors[flag] = ["Answer yes or no."]
        clean[flag] = value is True
    consent = answers.get("consent_to_contact_social_worker", False)
    if not isinstance(consent, bool):
        errors["consent_to_contact_social_worker"] = ["Answer yes or no."]
    clean["consent_to_contact_social_worker"] = consent is True
    worker = answers.get("social_worker_details", "")
    worker = worker.strip() if isinstance(worker, str) else ""
    if len(worker) > 1000:
        errors["social_worker_details"] = [
            "The social worker's details must be 1,000 characters or fewer."
        ]
    if clean["consent_to_contact_social_worker"] and not worker:
        errors["social_worker_details"] = [
            "Consent to contact the social worker was given: "
            "enter their name and how to reach them."
        ]
    clean["social_worker_details"] = worker
    if (
        clean["consent_to_contact_social_worker"]
        and clean["childrens_services"] == ScreeningAnswer.NO
    ):
        errors["consent_to_contact_social_worker"] = [
            "Consent to contact a social worker needs children's services to be involved: "
            "answer yes or unsure to that question first."
        ]
    if errors:
        raise ValidationFailed("The screening could not be saved.", field_errors=errors)
    screening = (
        Screening.objects.select_for_update().filter(miam=miam, participant=participant).first()
    )
    created = screening is None
    if screening is None:
        screening = Screening(
            organisation_id=case.organisation_id,
            case=case,
            miam=miam,
            participant=participant,
            recorded_by=actor,
        )
    for name, value in clean.items():
        setattr(screening, name, value)
    screening.save()
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="screening.recorded" if created else "screening.updated",
        target=screening,
        case_id=case.pk,
        visibility=RESTRICTED,
        # Ids only: the answers must not reach the wider audience of the audit trail.
        details={
            "screening_id": screening.pk,
            "miam_id": miam.pk,
            "participant_id": participant.pk,
        },
    )
    return screening


def screening_suggestion(screening: Screening) -> Suggestion:
    """The route the screening's answers suggest (see `routing.suggest_route`)."""
    return suggest_route(
        Answers(
            **{name: getattr(screening, name) for name, _ in SCREENING_QUESTIONS},
            **{flag: getattr(screening, flag) for flag in SCREENING_FLAGS},
        )
    )


@transaction.atomic
def screening_raise_concern(*, actor: Any, screening: Screening) -> Any:
    """Raise a safeguarding concern from a screening that reported a risk to the children."""
    from accord.safeguarding.services import concern_raise

    try:
        screening = Screening.objects.select_for_update().get(pk=screening.pk)
    except Screening.DoesNotExist:
        raise NotFoundOrHidden("No such screening.") from None
    case = _restricted_case(actor, screening.case)
    if screening.risk_to_children != ScreeningAnswer.YES:
        raise ValidationFailed(
            "This screening reports no risk to the children. Raise a concern from the "
            "safeguarding page instead."
        )
    if screening.concern_id is not None:
        raise ValidationFailed(
            "A safeguarding concern has already been raised from this screening."
        )
    participant = screening.participant
    concern = concern_raise(
        actor=actor,
        case=case,
        source="screening",
        allegation=screening.risk_to_children_notes
        or "A risk to the children was reported at screening.",
        subject_kind="child",
        subject_name="The children of the family",
        alleged_by=f"{participant.full_name}, at screening",
    )
    screening.concern = concern
    screening.save(update_fields=["concern", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="screening.concern_raised",
        target=screening,
        case_id=case.pk,
        visibility=RESTRICTED,
        details={"screening_id": screening.pk, "concern_id": concern.pk},
    )
    return concern


# The suitability decision


@transaction.atomic
def suitability_decide(
    *, actor: Any, case: Case, route: str, reasons: str, signposting: str = ""
) -> SuitabilityDecision:
    """Record (or revise) the case mediator's decision: joint, shuttle, or not suitable."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if getattr(actor, "pk", None) not in (case.lead_mediator_id, case.co_mediator_id):
        raise NotPermitted("Only the case's mediator can record the suitability decision.")
    errors: dict[str, list[str]] = {}
    if route not in SuitabilityRoute.values:
        errors["route"] = ["Choose joint mediation, shuttle mediation or not suitable."]
    reasons = reasons.strip() if isinstance(reasons, str) else ""
    signposting = signposting.strip() if isinstance(signposting, str) else ""
    if not reasons:
        errors["reasons"] = ["Give the reasons for the decision."]
    elif len(reasons) > SCREENING_NOTES_LIMIT:
        errors["reasons"] = [f"The reasons must be {SCREENING_NOTES_LIMIT:,} characters or fewer."]
    if route == SuitabilityRoute.NOT_SUITABLE and not signposting:
        errors["signposting"] = [
            "Mediation is not suitable: say where the parties were signposted, such as "
            "support services or the court."
        ]
    elif len(signposting) > SCREENING_NOTES_LIMIT:
        errors["signposting"] = [
            f"The signposting must be {SCREENING_NOTES_LIMIT:,} characters or fewer."
        ]
    if case.is_closed:
        errors["__all__"] = ["The case is closed."]
    if errors:
        raise ValidationFailed(
            "The suitability decision could not be recorded.", field_errors=errors
        )
    decision = SuitabilityDecision.objects.filter(case=case).first()
    revised = decision is not None
    if decision is None:
        decision = SuitabilityDecision(organisation_id=case.organisation_id, case=case)
    decision.route = route
    decision.reasons = reasons
    decision.signposting = signposting if route == SuitabilityRoute.NOT_SUITABLE else ""
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.save()
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="suitability.revised" if revised else "suitability.decided",
        target=decision,
        case_id=case.pk,
        # The route is for the case team; the reasons may quote screening, so they stay out.
        details={"decision_id": decision.pk, "route": route},
    )
    return decision


# Funding

CHILD_ARRANGEMENTS_KINDS = frozenset({"family_children", "family_all"})


def voucher_limit_on(day: dt.date) -> Decimal | None:
    """The voucher's maximum per case in force on a day, or None before the scheme."""
    rule = VoucherLimit.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return rule.max_per_case if rule else None


@transaction.atomic
def funding_record(
    *,
    actor: Any,
    participant: Participant,
    kind: str,
    legal_aid_basis: str = "",
    legal_aid_outcome: str = "",
    voucher_amount: Decimal | None = None,
) -> Funding:
    """Record how a party is funded; legal aid for one party funds the others' MIAM and session."""
    case = _case_for(actor, participant.case, "change")
    participant = Participant.objects.get(pk=participant.pk)
    errors: dict[str, list[str]] = {}
    if not participant.is_party:
        errors["participant"] = ["Funding is recorded for the parties only."]
    if kind not in FundingKind.values:
        errors["kind"] = ["Choose legal aid, the Family Mediation Voucher or private fees."]
    if kind == FundingKind.LEGAL_AID:
        if legal_aid_basis not in LegalAidBasis.values:
            errors["legal_aid_basis"] = ["Choose passported or means-assessed."]
        if legal_aid_outcome not in LegalAidOutcome.values:
            errors["legal_aid_outcome"] = ["Choose eligible, not eligible or pending."]
    elif legal_aid_basis or legal_aid_outcome:
        errors["legal_aid_outcome"] = ["A legal aid outcome belongs only to legal aid funding."]
    if kind == FundingKind.VOUCHER:
        _check_voucher(errors, case, participant, voucher_amount)
    elif voucher_amount is not None:
        errors["voucher_amount"] = ["A voucher amount belongs only to voucher funding."]
    if errors:
        raise ValidationFailed("The funding could not be recorded.", field_errors=errors)
    funding = Funding.objects.select_for_update().filter(participant=participant).first()
    if funding is None:
        funding = Funding(organisation_id=case.organisation_id, case=case, participant=participant)
    funding.kind = kind
    funding.legal_aid_basis = legal_aid_basis if kind == FundingKind.LEGAL_AID else ""
    funding.legal_aid_outcome = legal_aid_outcome if kind == FundingKind.LEGAL_AID else ""
    funding.voucher_amount = voucher_amount if kind == FundingKind.VOUCHER else None
    funding.recorded_by = actor
    funding.save()
    funded_others: list[int] = []
    if kind == FundingKind.LEGAL_AID and legal_aid_outcome == LegalAidOutcome.ELIGIBLE:
        funded_others = _fund_other_parties(case, participant, actor)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="funding.recorded",
        target=funding,
        case_id=case.pk,
        details={
            "participant_id": participant.pk,
            "kind": kind,
            "legal_aid_outcome": funding.legal_aid_outcome,
            "voucher_amount": str(funding.voucher_amount or ""),
            "funded_other_participant_ids": funded_others,
        },
    )
    return funding


def _check_voucher(
    errors: dict[str, list[str]], case: Case, participant: Participant, amount: Any
) -> None:
    if case.kind not in CHILD_ARRANGEMENTS_KINDS:
        errors["kind"] = [
            "The Family Mediation Voucher needs the case to include a child arrangements issue."
        ]
        return
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors["voucher_amount"] = ["Enter the voucher amount in pounds and pence, such as 500.00."]
        return
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        errors["voucher_amount"] = ["Enter a positive amount in pounds and pence, such as 500.00."]
        return
    limit = voucher_limit_on(timezone.localdate())
    if limit is None:
        errors["voucher_amount"] = ["No Family Mediation Voucher limit is in force today."]
        return
    if (
        Funding.objects.filter(case=case, kind=FundingKind.VOUCHER)
        .exclude(participant=participant)
        .exists()
    ):
        errors["kind"] = ["Only one Family Mediation Voucher can be used per family (case)."]
    elif amount > limit:
        errors["voucher_amount"] = [
            f"The voucher pays up to £{limit:,.2f} per case, and does not cover the MIAM."
        ]


def _fund_other_parties(case: Case, eligible: Participant, actor: Any) -> list[int]:
    """Mark every other party's MIAM and first session as funded through the legal aid."""
    funded = []
    for other in case.participants.exclude(pk=eligible.pk):
        if not other.is_party:
            continue
        funding, _ = Funding.objects.get_or_create(
            participant=other,
            defaults={
                "organisation_id": case.organisation_id,
                "case": case,
                "kind": FundingKind.NOT_YET_KNOWN,
                "recorded_by": actor,
            },
        )
        if not funding.miam_and_first_session_funded:
            funding.miam_and_first_session_funded = True
            funding.save(update_fields=["miam_and_first_session_funded", "updated_at"])
        funded.append(other.pk)
    return funded


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


@transaction.atomic
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
    while a safeguarding investigation pauses the mediation.
    """
    from accord.calendar import london_date, to_london
    from accord.documents.services import document_render_pdf, document_share
    from accord.organisations.models import MediatorProfile

    try:
        miam = Miam.objects.select_for_update().get(pk=miam.pk)
    except Miam.DoesNotExist:
        raise NotFoundOrHidden("No such MIAM.") from None
    case = Case.objects.select_for_update().select_related("organisation").get(pk=miam.case_id)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
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
    signed_at = timezone.now()
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
    # Only what the party and the court may read goes into the PDF: nothing from screening.
    version = document_render_pdf(
        actor=actor,
        case=case,
        template_code=CERTIFICATE_TEMPLATE,
        context=context,
        title=f"MIAM certificate: {attended.full_name}",
        document_code=f"miam-certificate-{miam.pk}-{attended.pk}",
    )
    certificate = MiamCertificate.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        miam=miam,
        party=attended,
        mediator=actor,
        mediator_name=mediator_name,
        fmc_urn=profile.fmc_urn,
        service_name=case.organisation.name,
        sole_trader_name=sole_trader_name,
        miam_date=miam_date,
        outcome=outcome,
        valid_until=valid_until,
        court_application=court_application,
        signed_name=signed_name,
        signed_at=signed_at,
        signature_statement=statement,
        document_version=version,
        issued_by=actor,
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
            "court_application": court_application,
            "valid_until": valid_until.isoformat(),
        },
    )
    return certificate


# Emails to the people attending a MIAM: a confirmation on booking, a reminder before it.

REMINDER_WINDOW = dt.timedelta(hours=48)


def _may_email(participant: Participant) -> bool:
    """Whether email is a safe way to reach this participant, and there is an address.

    As when inviting someone to the portal, an empty list of safe methods means none were
    recorded as unsafe; once any are recorded, email must be among them.
    """
    from accord.cases.models import ContactMethod

    methods = participant.safe_contact_methods or []
    return bool(participant.email) and (not methods or ContactMethod.EMAIL in methods)


def _miam_email(miam: Miam, organisation: Any, *, kind: str) -> tuple[str, str]:
    """The subject and body: when, how and where; nothing about the other party or screening."""
    from accord.calendar import to_london
    from accord.deadlines.conf import site_url

    local = to_london(miam.starts_at)
    day = f"{local:%A} {local.day} {local:%B %Y}"
    if kind == "booked":
        subject = f"Your appointment on {day} is booked"
        opening = "Your Mediation Information and Assessment Meeting (MIAM) has been booked."
    else:
        subject = f"Reminder: your appointment on {day}"
        opening = "This is a reminder of your Mediation Information and Assessment Meeting (MIAM)."
    where = {
        MiamMode.IN_PERSON: "Place",
        MiamMode.VIDEO: "Video link",
        MiamMode.PHONE: "Phone number",
    }.get(MiamMode(miam.mode), "Place")
    contact = f" on {organisation.phone}" if organisation.phone else ""
    url = site_url()
    sign_in = f"Sign in to see your case: {url}/portal/" if url else "Sign in to see your case."
    body = (
        f"Hello,\n\n{opening}\n\n"
        f"Service: {organisation.name}\n"
        f"Date: {day}\n"
        f"Time: {local:%H:%M} (UK time), about {miam.duration_minutes} minutes\n"
        f"How: {miam.get_mode_display()}\n"
        f"{where}: {miam.place}\n\n"
        f"If you cannot attend, please contact {organisation.name}{contact}.\n"
        f"{sign_in}\n"
    )
    return subject, body


def _email_attendees(miam: Miam, *, kind: str, actor: Any) -> int:
    """Email each attendee whom email can safely reach, once per MIAM, kind and start time."""
    from accord.deadlines.outbox import email_enqueue

    organisation = miam.organisation
    subject, body = _miam_email(miam, organisation, kind=kind)
    sent = 0
    stamp = f"{miam.starts_at.astimezone(dt.UTC):%Y%m%d%H%M}"
    for participant in miam.attendees.all():
        if not _may_email(participant):
            continue
        # The start time is in the key, so a rebooked MIAM is confirmed and reminded again.
        key = f"miam.{miam.pk}.{kind}.{participant.pk}.{stamp}"
        _, created = email_enqueue(
            organisation_id=miam.organisation_id,
            key=key,
            to_email=participant.email,
            subject=subject,
            body=body,
        )
        if not created:
            continue
        sent += 1
        audit_record(
            organisation_id=miam.organisation_id,
            actor=actor,
            action="miam.reminder_sent",
            target=miam,
            case_id=miam.case_id,
            details={"miam_id": miam.pk, "participant_id": participant.pk, "kind": kind},
        )
    return sent


def miam_reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Remind the attendees of booked MIAMs starting in the next 48 hours; returns emails written.

    For the worker's loop, every 30 seconds. Each MIAM is handled in its own transaction with its
    row locked (another worker skips it), and each email has a fixed key, so running twice, even
    at once, writes each reminder once.
    """
    now = now or timezone.now()
    due = Miam.objects.filter(
        status=MiamStatus.BOOKED, starts_at__gt=now, starts_at__lte=now + REMINDER_WINDOW
    ).values_list("pk", flat=True)
    sent = 0
    for miam_id in list(due):
        with transaction.atomic():
            miam = (
                Miam.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organisation")
                .filter(
                    pk=miam_id,
                    status=MiamStatus.BOOKED,
                    starts_at__gt=now,
                    starts_at__lte=now + REMINDER_WINDOW,
                )
                .first()
            )
            if miam is not None:
                sent += _email_attendees(miam, kind="reminder", actor=None)
    return sent
