"""Private screening (restricted) and the suitability decision that follows from it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings.models import (
    SCREENING_FLAGS,
    SCREENING_QUESTIONS,
    Miam,
    Screening,
    ScreeningAlert,
    ScreeningAnswer,
    SuitabilityDecision,
    SuitabilityRoute,
)
from accord.meetings.routing import Answers, Suggestion, suggest_route

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


def _ensure_screening_applies(case: Case) -> None:
    """Refuse screening on a kind of case it does not apply to (MIAM screening is family only)."""
    from accord.cases.progress import ensure_part_applies

    ensure_part_applies(case, "screening")


def _clean_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The screening's fields from the answers given, or ValidationFailed naming each problem."""
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
    return clean


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
    _ensure_screening_applies(case)
    if not miam.attendees.filter(pk=participant.pk).exists():
        raise NotFoundOrHidden("No such screening.")
    clean = _clean_answers(answers)
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
    _alert_if_stricter(actor, case, screening)
    return screening


@transaction.atomic
def screening_repeat(
    *, actor: Any, case: Case, participant: Participant, answers: dict[str, Any]
) -> Screening:
    """Record a new screening of a party at any point of the case (FMC Code 5.8: throughout).

    Each repeat is a new restricted record; if it suggests a more protective route than the
    decision in force, the case's mediators are alerted and new sessions wait for a decision.
    """
    ensure_part_applies(case, "screening")
    case = _restricted_case(actor, case)
    _ensure_screening_applies(case)
    if participant.case_id != case.pk or not participant.is_party:
        raise NotFoundOrHidden("No such screening.")
    if case.is_closed:
        raise ValidationFailed(
            "The case is closed.", field_errors={"__all__": ["The case is closed."]}
        )
    clean = _clean_answers(answers)
    screening = Screening(
        organisation_id=case.organisation_id,
        case=case,
        miam=None,
        participant=participant,
        recorded_by=actor,
        **clean,
    )
    screening.save()
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="screening.repeated",
        target=screening,
        case_id=case.pk,
        visibility=RESTRICTED,
        details={"screening_id": screening.pk, "participant_id": participant.pk},
    )
    _alert_if_stricter(actor, case, screening)
    return screening


def _alert_if_stricter(actor: Any, case: Case, screening: Screening) -> ScreeningAlert | None:
    """Alert the case's mediators when a screening suggests a stricter route than the decision.

    The alert blocks new sessions until the next suitability decision. The email says only that
    a screening needs a decision: never an answer, a name or the suggested route.
    """
    from accord.deadlines.outbox import email_enqueue
    from accord.mediation.gate import is_stricter

    decision = SuitabilityDecision.objects.filter(case=case).first()
    if decision is None:
        return None
    suggested = screening_suggestion(screening).route.code
    if not is_stricter(suggested, decision.route):
        return None
    now = timezone.now()
    alert = ScreeningAlert.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        screening=screening,
        suggested_route=suggested,
        decision_route=decision.route,
        raised_at=now,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="screening.alert_raised",
        target=alert,
        case_id=case.pk,
        visibility=RESTRICTED,
        details={"alert_id": alert.pk, "screening_id": screening.pk},
    )
    from accord.accounts.models import User

    for mediator in User.objects.filter(
        pk__in=[m for m in (case.lead_mediator_id, case.co_mediator_id) if m], is_active=True
    ):
        if not mediator.email:
            continue
        email_enqueue(
            organisation_id=case.organisation_id,
            key=f"screening.alert.{alert.pk}.{mediator.pk}",
            to_email=mediator.email,
            subject=f"Case {case.reference}: a new screening needs a suitability decision",
            body=(
                f"A new screening on case {case.reference} needs a suitability decision.\n\n"
                "No session can be booked or started on the case until a new decision is "
                "recorded. Sign in to Accord to see the case.\n"
            ),
        )
    return alert


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
    _ensure_screening_applies(case)
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
    """Record (or revise) the case mediator's decision: joint, shuttle, or not suitable.

    A decision resolves every screening alert awaiting one (see `screening_repeat`).
    """
    ensure_part_applies(case, "suitability")
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
    ScreeningAlert.objects.filter(case=case, resolved_at__isnull=True).update(
        resolved_at=decision.decided_at, resolved_by=actor
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="suitability.revised" if revised else "suitability.decided",
        target=decision,
        case_id=case.pk,
        # The route is for the case team; the reasons may quote screening, so they stay out.
        details={"decision_id": decision.pk, "route": route},
    )
    if route != SuitabilityRoute.NOT_SUITABLE:
        from accord.cases.progress import case_advance

        case_advance(actor=actor, case=case, event="suitability_decided")
    return decision
