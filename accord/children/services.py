"""Every change to the children of a case and to hearing the child (child-inclusive mediation).

Staff who may change the case record the children, make the offer, assign the child consultant
and book the meeting; each parent answers the offer for themself, privately; the consultant (or
a case mediator) records the meeting's notes and the feedback the child approved, and shares it
with the parents. Audit details carry ids and kinds of answer only: never notes, never feedback,
and a parent's answer only once both have answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.children.models import (
    CaseChild,
    ChildConsultant,
    ChildOffer,
    ConsentAnswer,
    OfferStatus,
    ParentConsent,
)
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.meetings.models import MeetingMode

NAME_LIMIT = 200
NOTE_LIMIT = 10_000
MAX_CHILDREN = 12
MIN_MINUTES, MAX_MINUTES = 15, 180


def _locked_case(actor: Any, case: Case, what: str = "the children") -> Case:
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action="change",
        refusal=f"You do not have permission to change {what} on this case.",
    )


def _audit(actor: Any, case: Case, action: str, target: Any, **details: Any) -> None:
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=f"children.{action}",
        target=target,
        case_id=case.pk,
        details=details,
    )


def _fail(errors: dict[str, list[str]], default: str) -> None:
    if errors:
        only = next(iter(errors.values()))[0] if len(errors) == 1 else default
        raise ValidationFailed(errors.get("__all__", [only])[0], field_errors=errors)


def _clean_child(full_name: Any, date_of_birth: Any, errors: dict[str, list[str]]) -> str:
    name = full_name.strip() if isinstance(full_name, str) else ""
    if not name:
        errors["full_name"] = ["Enter the child's name."]
    elif len(name) > NAME_LIMIT:
        errors["full_name"] = [f"The name must be {NAME_LIMIT} characters or fewer."]
    today = timezone.localdate()
    if not isinstance(date_of_birth, dt.date) or isinstance(date_of_birth, dt.datetime):
        errors["date_of_birth"] = ["Enter the child's date of birth, for example 14/3/2014."]
    elif date_of_birth > today:
        errors["date_of_birth"] = ["The date of birth must be today or in the past."]
    elif date_of_birth < today.replace(year=today.year - 25):
        errors["date_of_birth"] = ["The child must be under 25: check the year of birth."]
    return name


@transaction.atomic
def child_add(*, actor: Any, case: Case, full_name: str, date_of_birth: dt.date) -> CaseChild:
    """Record a child of a family case, with name and date of birth."""
    case = _locked_case(actor, case)
    ensure_part_applies(case, "children")
    errors: dict[str, list[str]] = {}
    name = _clean_child(full_name, date_of_birth, errors)
    if CaseChild.objects.filter(case=case).count() >= MAX_CHILDREN:
        errors["__all__"] = [f"A case can record at most {MAX_CHILDREN} children."]
    _fail(errors, "The child could not be recorded.")
    child = CaseChild.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        full_name=name,
        date_of_birth=date_of_birth,
    )
    _audit(actor, case, "child_added", child, child_id=child.pk)
    return child


@transaction.atomic
def child_update(
    *, actor: Any, child: CaseChild, full_name: str, date_of_birth: dt.date
) -> CaseChild:
    """Correct a child's name or date of birth."""
    case = _locked_case(actor, child.case)
    child = CaseChild.objects.select_for_update().get(pk=child.pk, case=case)
    errors: dict[str, list[str]] = {}
    name = _clean_child(full_name, date_of_birth, errors)
    _fail(errors, "The child's record could not be saved.")
    child.full_name, child.date_of_birth = name, date_of_birth
    child.save(update_fields=["full_name", "date_of_birth", "updated_at"])
    _audit(actor, case, "child_updated", child, child_id=child.pk)
    return child


@transaction.atomic
def children_import_from_enquiry(*, actor: Any, case: Case) -> list[CaseChild]:
    """Record the children named on the case's enquiry (those with a date of birth), once."""
    from accord.intake.models import Child

    case = _locked_case(actor, case)
    ensure_part_applies(case, "children")
    taken = set(
        CaseChild.objects.filter(case=case, enquiry_child__isnull=False).values_list(
            "enquiry_child_id", flat=True
        )
    )
    created: list[CaseChild] = []
    for named in Child.objects.filter(enquiry__case=case, date_of_birth__isnull=False):
        if named.pk in taken or named.date_of_birth is None:
            continue
        child = CaseChild.objects.create(
            organisation_id=case.organisation_id,
            case=case,
            full_name=named.full_name[:NAME_LIMIT],
            date_of_birth=named.date_of_birth,
            enquiry_child=named,
        )
        created.append(child)
    if created:
        _audit(
            actor,
            case,
            "children_imported",
            case,
            child_ids=[c.pk for c in created],
            count=len(created),
        )
    return created


@transaction.atomic
def consultant_set(
    *, actor: Any, profile: Any, trained: bool, dbs_checked_on: dt.date | None
) -> ChildConsultant:
    """Record on a mediator's profile whether they are trained for child-inclusive work."""
    from accord.organisations.selectors import is_service_admin

    if not is_service_admin(actor, profile.organisation_id):
        raise NotPermitted("Only the service's administrators can change a mediator's training.")
    errors: dict[str, list[str]] = {}
    if not isinstance(trained, bool):
        errors["trained"] = ["Say whether the mediator is trained for child-inclusive work."]
    if dbs_checked_on is not None and dbs_checked_on > timezone.localdate():
        errors["dbs_checked_on"] = ["The DBS check date must be today or in the past."]
    _fail(errors, "The training could not be saved.")
    record, _ = ChildConsultant.objects.select_for_update().get_or_create(profile=profile)
    record.trained, record.dbs_checked_on = trained, dbs_checked_on
    record.save()
    audit_record(
        organisation_id=profile.organisation_id,
        actor=actor,
        action="children.consultant_set",
        target=record,
        details={"user_id": profile.user_id, "trained": trained},
    )
    return record


def is_trained_consultant(user: Any, organisation_id: int) -> bool:
    """Whether the user is a mediator of the service trained for child-inclusive work."""
    return ChildConsultant.objects.filter(
        trained=True,
        profile__organisation_id=organisation_id,
        profile__user_id=getattr(user, "pk", 0) or 0,
    ).exists()


@transaction.atomic
def child_offer_make(
    *, actor: Any, child: CaseChild, offered_on: dt.date | None = None
) -> ChildOffer:
    """Record the offer to hear a child (every child 10 or over should have one)."""
    case = _locked_case(actor, child.case)
    ensure_part_applies(case, "child_inclusive")
    day = offered_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no offer can be made."]
    elif ChildOffer.objects.filter(child=child).exists():
        errors["__all__"] = [f"{child.full_name} has already been offered a chance to be heard."]
    if day > timezone.localdate():
        errors["offered_on"] = ["The offer's date must be today or in the past."]
    elif day < child.date_of_birth:
        errors["offered_on"] = ["The offer's date must be after the child's date of birth."]
    parties = Participant.objects.filter(case=case, role__in=PARTY_ROLES).count()
    if parties < 2 and "__all__" not in errors:
        errors["__all__"] = ["Both parents must be parties of the case before the offer."]
    _fail(errors, "The offer could not be recorded.")
    offer = ChildOffer.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        child=child,
        offered_on=day,
        offered_by=actor,
    )
    _audit(
        actor,
        case,
        "offer_made",
        offer,
        child_id=child.pk,
        age=child.age_on(day),
        offer_id=offer.pk,
    )
    return offer


def _parents(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id"))


@transaction.atomic
def consent_answer(*, actor: Any, offer: ChildOffer, answer: str) -> ParentConsent:
    """A parent answers the offer for themself; neither learns the other's answer until both have.

    Once both parents answered, the offer is consented (both consent) or declined (either
    declines). An answer cannot be changed after both have answered.
    """
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    offer = ChildOffer.objects.select_for_update().get(pk=offer.pk)
    mine = Participant.objects.filter(
        case=case,
        role__in=PARTY_ROLES,
        user_id=getattr(actor, "pk", 0) or 0,
        portal_access=True,
    ).first()
    if mine is None:
        raise NotFoundOrHidden("No such offer.")
    if answer not in ConsentAnswer.values:
        raise ValidationFailed(
            "Choose whether you consent.",
            field_errors={"answer": ["Choose whether you consent or decline."]},
        )
    if offer.status != OfferStatus.AWAITING_CONSENT:
        raise ValidationFailed(
            "Both parents have answered, so the answer can no longer be changed.",
            field_errors={"answer": ["Both parents have answered; ask the mediator."]},
        )
    record, _ = ParentConsent.objects.update_or_create(
        offer=offer, participant=mine, defaults={"answer": answer}
    )
    answers = {a.participant_id: a.answer for a in ParentConsent.objects.filter(offer=offer)}
    parents = _parents(case)
    complete = all(p.pk in answers for p in parents)
    details: dict[str, Any] = {"offer_id": offer.pk, "participant_id": mine.pk}
    if complete:
        consented = all(answers[p.pk] == ConsentAnswer.CONSENT for p in parents)
        offer.status = OfferStatus.CONSENTED if consented else OfferStatus.DECLINED
        offer.save(update_fields=["status", "updated_at"])
        details["outcome"] = offer.status
    _audit(actor, case, "consent_answered", record, **details)
    if complete:
        _email_parents_outcome(offer, parents)
    return record


def _email_parents_outcome(offer: ChildOffer, parents: list[Participant]) -> None:
    """Tell each parent the combined outcome: only now may they learn it."""
    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    if offer.status == OfferStatus.CONSENTED:
        what = "Both parents agreed that the child may meet the mediator to be heard."
    else:
        what = "The child will not be asked to meet the mediator, as not both parents agreed."
    for person in parents:
        if not person.can_be_emailed:
            continue
        email_enqueue(
            organisation_id=offer.organisation_id,
            key=f"children.offer.{offer.pk}.answered.{person.pk}",
            to_email=person.email,
            subject="Hearing your child in mediation",
            body=f"{what}\n\nSign in to {site_url()}/portal/ to see more.\n",
        )


@transaction.atomic
def consultant_assign(*, actor: Any, offer: ChildOffer, consultant: Any) -> ChildOffer:
    """Assign the mediator trained for child-inclusive work who will meet the child."""
    case = _locked_case(actor, offer.case)
    offer = ChildOffer.objects.select_for_update().get(pk=offer.pk, case=case)
    errors: dict[str, list[str]] = {}
    if offer.status == OfferStatus.DECLINED:
        errors["__all__"] = ["The offer was declined, so no child consultant is needed."]
    if consultant is None or not is_trained_consultant(consultant, case.organisation_id):
        errors["consultant"] = ["Choose a mediator trained for child-inclusive work."]
    _fail(errors, "The child consultant could not be assigned.")
    offer.consultant = consultant
    offer.save(update_fields=["consultant", "updated_at"])
    _audit(actor, case, "consultant_assigned", offer, offer_id=offer.pk, user_id=consultant.pk)
    return offer


@transaction.atomic
def child_meeting_book(
    *,
    actor: Any,
    offer: ChildOffer,
    starts_at: dt.datetime | None,
    mode: str,
    place: str,
    brought_by: Participant | None,
    duration_minutes: int = 45,
    confirm_warnings: bool | None = None,
    confirm_reason: str = "",
) -> ChildOffer:
    """Book the child's meeting with the consultant, and who brings the child."""
    from accord.meetings.services.miams import audit_warnings_confirmed, confirm_booking_warnings
    from accord.safeguarding.services import ensure_case_not_paused

    case = _locked_case(actor, offer.case)
    offer = ChildOffer.objects.select_for_update().get(pk=offer.pk, case=case)
    ensure_case_not_paused(case, doing="booking a child meeting")
    errors: dict[str, list[str]] = {}
    if offer.status != OfferStatus.CONSENTED:
        errors["__all__"] = ["Both parents must consent before the child's meeting is booked."]
    elif offer.consultant_id is None:
        errors["__all__"] = ["Assign the child consultant before booking the meeting."]
    if starts_at is None or starts_at.tzinfo is None:
        errors["starts_at"] = ["Enter when the meeting starts, as a date and time."]
    elif starts_at <= timezone.now():
        errors["starts_at"] = ["The meeting must start in the future."]
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = ["Enter the length of the meeting in minutes."]
    elif not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = [
            f"A child meeting lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes."
        ]
    if mode not in MeetingMode.values:
        errors["mode"] = ["Choose in person, video call or phone call."]
    place = place.strip() if isinstance(place, str) else ""
    if not place:
        errors["place"] = ["Enter the place, the video link or the number to call."]
    elif len(place) > 500:
        errors["place"] = ["The place or link must be 500 characters or fewer."]
    if brought_by is None or brought_by.case_id != case.pk or not brought_by.is_party:
        errors["brought_by"] = ["Choose the parent or carer who brings the child."]
    _fail(errors, "The meeting could not be booked.")
    assert starts_at is not None and brought_by is not None
    confirmed = confirm_booking_warnings(
        organisation=case.organisation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        staff_ids=[offer.consultant_id] if offer.consultant_id else [],
        people=[brought_by],
        confirm=confirm_warnings,
        reason=confirm_reason,
        what="The meeting could not be booked.",
        # Booking again moves the meeting: its own time is not a clash.
        ignore_key=f"child_meeting.{offer.pk}",
    )
    offer.starts_at, offer.duration_minutes = starts_at, duration_minutes
    offer.mode, offer.place, offer.brought_by = mode, place, brought_by
    offer.save(
        update_fields=["starts_at", "duration_minutes", "mode", "place", "brought_by", "updated_at"]
    )
    _audit(actor, case, "meeting_booked", offer, offer_id=offer.pk, participant_id=brought_by.pk)
    audit_warnings_confirmed(actor, case, offer, confirmed, confirm_reason)
    return offer


def may_record(user: Any, offer: ChildOffer) -> bool:
    """The child consultant or one of the case's mediators."""
    from accord.cases import policy as case_policy
    from accord.children.selectors import is_consultant

    if is_consultant(user, offer):
        return True
    pk = getattr(user, "pk", None)
    case = offer.case
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(user, "change", case)
    )


def _text(errors: dict[str, list[str]], field: str, value: Any, missing: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if missing and not text:
        errors[field] = [missing]
    elif len(text) > NOTE_LIMIT:
        errors[field] = [f"Use {NOTE_LIMIT:,} characters or fewer."]
    return text


@transaction.atomic
def child_meeting_record(
    *, actor: Any, offer: ChildOffer, notes: str, feedback: str, child_approved: bool
) -> ChildOffer:
    """Record the child meeting: private notes, and what the child agreed may be fed back."""
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    offer = ChildOffer.objects.select_for_update().select_related("case").get(pk=offer.pk)
    if not may_record(actor, offer):
        raise NotFoundOrHidden("No such meeting.")
    errors: dict[str, list[str]] = {}
    if offer.starts_at is None or offer.starts_at > timezone.now():
        errors["__all__"] = ["The meeting has not taken place yet, so it cannot be recorded."]
    if offer.feedback_shared_at is not None:
        errors["__all__"] = ["The feedback has been shared with the parents; it cannot change."]
    notes = _text(errors, "notes", notes, "Record what the child said.")
    feedback = _text(errors, "feedback", feedback, "")
    if not isinstance(child_approved, bool):
        errors["child_approved"] = ["Say whether the child approved the feedback."]
    elif child_approved and not feedback:
        errors["feedback"] = ["Write the feedback the child approved, or untick approval."]
    _fail(errors, "The meeting could not be recorded.")
    first = offer.held_at is None
    offer.notes, offer.feedback = notes, feedback
    offer.held_at = offer.held_at or timezone.now()
    offer.feedback_approved_at = timezone.now() if child_approved else None
    offer.status = OfferStatus.MET
    offer.save(
        update_fields=[
            "notes",
            "feedback",
            "held_at",
            "feedback_approved_at",
            "status",
            "updated_at",
        ]
    )
    _audit(
        actor,
        case,
        "meeting_recorded",
        offer,
        offer_id=offer.pk,
        first=first,
        child_approved=child_approved,
    )
    return offer


@transaction.atomic
def feedback_share(*, actor: Any, offer: ChildOffer) -> ChildOffer:
    """Share the feedback the child approved with both parents, at the feedback session."""
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    offer = ChildOffer.objects.select_for_update().select_related("case").get(pk=offer.pk)
    if not may_record(actor, offer):
        raise NotFoundOrHidden("No such meeting.")
    if offer.feedback_approved_at is None or not offer.feedback:
        raise ValidationFailed("Only feedback the child approved can be shared with the parents.")
    if offer.feedback_shared_at is not None:
        raise ValidationFailed("The feedback has already been shared.")
    offer.feedback_shared_at = timezone.now()
    offer.status = OfferStatus.FED_BACK
    offer.save(update_fields=["feedback_shared_at", "status", "updated_at"])
    _audit(actor, case, "feedback_shared", offer, offer_id=offer.pk)
    return offer


@transaction.atomic
def child_meeting_concern_raise(
    *,
    actor: Any,
    offer: ChildOffer,
    allegation: str,
    alleged_against: str = "",
    immediate_danger: bool = False,
    action_taken: str = "",
) -> Any:
    """Raise a safeguarding concern from the child meeting, on the existing safeguarding path.

    The concern is about the child, told by the child; it opens the meeting's notes to the
    case's supervisor (safeguarding requires it).
    """
    from accord.safeguarding.policy import can_raise_concern
    from accord.safeguarding.services import concern_raise

    offer = ChildOffer.objects.select_for_update().select_related("case", "child").get(pk=offer.pk)
    if not may_record(actor, offer):
        raise NotFoundOrHidden("No such meeting.")
    if not can_raise_concern(actor, offer.case):
        # A consultant outside the case team cannot open its safeguarding record (that policy
        # is the safeguarding app's); they tell the case's mediators, who raise it at once.
        raise ValidationFailed(
            "You are not on this case's team, so the concern must be raised by its mediator: "
            "tell them now (and call 999 if anyone is in immediate danger)."
        )
    concern = concern_raise(
        actor=actor,
        case=offer.case,
        source="other",
        allegation=allegation,
        subject_kind="child",
        subject_name=offer.child.full_name,
        alleged_by=f"{offer.child.full_name} (child meeting)",
        alleged_against=alleged_against,
        immediate_danger=immediate_danger,
        action_taken=action_taken,
    )
    offer.concern = concern
    offer.save(update_fields=["concern", "updated_at"])
    _audit(actor, offer.case, "concern_raised", offer, offer_id=offer.pk)
    return concern


def can_change(user: Any, case: Case) -> bool:
    from accord.cases import policy as case_policy

    return case_policy.can(user, "change", case)


def enquiry_children_waiting(case: Case) -> bool:
    """Whether the enquiry names children with a date of birth not yet recorded."""
    from accord.intake.models import Child

    taken = CaseChild.objects.filter(case=case, enquiry_child__isnull=False).values(
        "enquiry_child_id"
    )
    return (
        Child.objects.filter(enquiry__case=case, date_of_birth__isnull=False)
        .exclude(pk__in=taken)
        .exists()
    )
