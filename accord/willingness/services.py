"""Every change in the willingness step: inviting, answering, logging contact, lapsing.

Invitations carry a single-use secret (see `codes`); only its SHA-256 is stored. The invited
person answers without signing in, so `willingness_answer` acts as no one and is limited to the
one invitation its secret opens.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accord.audit.services import audit_record
from accord.calendar.arithmetic import LONDON, london_date
from accord.cases import kinds
from accord.cases import policy as case_policy
from accord.cases.models import Case, ContactMethod, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import DomainError, NotFoundOrHidden, ValidationFailed
from accord.deadlines import conf as deadline_conf
from accord.deadlines.models import Deadline, DeadlineStatus
from accord.willingness import codes
from accord.willingness.models import (
    AnswerChoice,
    ContactAttempt,
    ContactMethodUsed,
    CourtOrder,
    CourtOrderKind,
    InvitationChannel,
    InvitationStatus,
    WillingnessAnswer,
    WillingnessInvitation,
)

logger = logging.getLogger(__name__)

RESPONSE_RULE = "willingness.response"
LETTER_TEMPLATE = "willingness-letter"
#: The deadline rule code of a court order's date to comply by (set by hand, from the order).
COURT_ORDER_RULE = "court_order.comply_by"
TEXT_LIMIT = 5000
NOTE_LIMIT = 2000
ANSWER_LINK_LABEL = "the invited person (answer link)"
#: Answers that mean the other party is not engaging, with the lapse.
NOT_ENGAGING = frozenset({InvitationStatus.NOT_WILLING, InvitationStatus.LAPSED})


class LinkClosed(ValidationFailed):
    """The answer link can no longer be used: `reason` is "answered" or "expired"."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _case_for(actor: Any, case: Case, action: str = "change") -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action=action,
        refusal="You do not have permission to invite or contact parties on this case.",
    )


def answer_path(code: str) -> str:
    """The path of the public answer page for a code."""
    return f"/respond/{code}/"


def answer_link(code: str) -> str:
    """The full link put in the email or letter, from the site's address (`accord.core.links`)."""
    return f"{deadline_conf.site_url()}{answer_path(code)}"


def not_safe_to_contact(case: Case, participant: Participant) -> bool:
    """True when the enquirer said it is not safe for the service to contact this person."""
    from accord.intake.models import Enquiry, SafeToContact

    enquiry = Enquiry.objects.filter(case=case).only("other_parties_safe").first()
    if enquiry is None:
        return False
    return (enquiry.other_parties_safe or {}).get(str(participant.pk)) == SafeToContact.NO


def _check_invite(
    case: Case, participant: Any, channel: str, override_reason: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no one can be invited."]
    if not isinstance(participant, Participant) or participant.case_id != case.pk:
        errors["participant"] = ["Choose a party of this case."]
        return errors
    if not participant.is_party:
        errors["participant"] = ["Choose a party of this case."]
    if channel not in InvitationChannel.values:
        errors["channel"] = ["Choose email or a printed letter."]
    elif channel == InvitationChannel.EMAIL:
        if not participant.email:
            errors["channel"] = [
                "There is no email address for this person: make a letter instead."
            ]
        elif not participant.safe_to_contact_by(ContactMethod.EMAIL):
            errors["channel"] = [
                "Email is not a safe way to contact this person: choose another way."
            ]
    elif not participant.safe_to_contact_by(ContactMethod.POST):
        errors["channel"] = ["Post is not a safe way to contact this person: choose another way."]
    if len(override_reason) > NOTE_LIMIT:
        errors["override_reason"] = [f"The reason must be {NOTE_LIMIT:,} characters or fewer."]
    elif not override_reason and not_safe_to_contact(case, participant):
        errors["override_reason"] = [
            "The person who enquired said it is not safe to contact this person. "
            "Explain why the service is contacting them anyway."
        ]
    return errors


def _release_deadline(actor: Any, deadline_id: int | None, reason: str) -> None:
    """Waive the invitation's response deadline if it is still open."""
    from accord.deadlines.services import deadline_waive

    if deadline_id is None:
        return
    deadline = Deadline.objects.filter(pk=deadline_id, status=DeadlineStatus.OPEN).first()
    if deadline is not None:
        deadline_waive(actor=actor, deadline=deadline, reason=reason)


def _meet_deadline(deadline_id: int | None) -> None:
    """Mark the response deadline met (by the system) if it is still open."""
    from accord.deadlines.services import deadline_meet

    if deadline_id is None:
        return
    deadline = Deadline.objects.filter(pk=deadline_id, status=DeadlineStatus.OPEN).first()
    if deadline is not None:
        deadline_meet(actor=None, deadline=deadline, note="The other party answered.")


def court_order_words(case: Case) -> str:
    """A neutral sentence for the invitation saying a court has ordered attendance, or "".

    It names what was ordered and the date only: never the court's case number or details,
    which are for the case team.
    """
    order = CourtOrder.objects.filter(case=case).order_by("-ordered_on", "-id").first()
    if order is None:
        return ""
    what = (
        "a Mediation Information and Assessment Meeting (MIAM)"
        if order.orders == CourtOrderKind.MIAM
        else "mediation"
    )
    on = order.ordered_on
    sentence = f"A court has ordered that the people involved attend {what} (order dated "
    sentence += f"{on.day} {on:%B %Y})"
    if order.comply_by:
        sentence += f", by {order.comply_by.day} {order.comply_by:%B %Y}"
    return sentence + ". The mediator can explain what this means for you."


def _email_body(invitation: WillingnessInvitation, code: str) -> str:
    return render_to_string(
        "willingness/email/invitation.txt",
        {
            "court_order": court_order_words(invitation.case),
            "organisation": invitation.case.organisation,
            "link": answer_link(code),
            "respond_by": invitation.respond_by,
        },
    )


def _letter_context(participant: Participant, code: str, respond_by: dt.date) -> dict[str, Any]:
    return {
        "recipient_name": participant.full_name,
        # Every member of staff who opens the workspace can download the letter, but a
        # confidential address is for the case team only: leave it for them to add by hand.
        "recipient_address": "" if participant.confidential_address else participant.address,
        "link": answer_link(code),
        "respond_url": f"{deadline_conf.site_url()}/respond/",
        "code": codes.grouped(code),
        "respond_by": respond_by,
    }


def willingness_invite(
    *,
    actor: Any,
    case: Case,
    participant: Participant,
    channel: str,
    override_reason: str = "",
) -> WillingnessInvitation:
    """Invite the other party by email or printed letter; supersedes their earlier invitation.

    The returned invitation carries the raw code in the transient attribute `secret` (never
    stored), so the caller or a test can open `/respond/<secret>/`. A letter's PDF is in
    `invitation.letter`: it is rendered before the short transaction that records the
    invitation and stores it (accord.documents.produce), so no other writer waits for it.
    """
    invite: dict[str, Any] = {
        "actor": actor,
        "participant": participant,
        "channel": channel,
        "override_reason": override_reason,
        "code": codes.new_code(),
        "now": timezone.now(),
    }
    if channel != InvitationChannel.LETTER:
        with transaction.atomic():
            return _invite_store(case=case, letter=None, **invite)
    from accord.deadlines.selectors import due_for_rule
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_pdf

    def look(lock: bool) -> tuple[Case, dict[str, Any]]:
        fresh = Case.objects.select_related("organisation").get(pk=case.pk)
        if not case_policy.can(actor, "view_workspace", fresh):
            raise NotFoundOrHidden("No such case.")
        person_id = getattr(participant, "pk", None)
        person = Participant.objects.filter(pk=person_id).first() if person_id else None
        due = due_for_rule(case=fresh, rule_code=RESPONSE_RULE, start=invite["now"])
        if person is None or person.case_id != fresh.pk or due is None:
            return fresh, {}  # nothing to render: _invite_store refuses in the page's words
        return fresh, _letter_context(person, invite["code"], london_date(due))

    def render(seen: tuple[Case, dict[str, Any]]) -> Any:
        fresh, context = seen
        if not context:
            return None
        pdf = document_prepare_pdf(
            actor=actor, case=fresh, template_code=LETTER_TEMPLATE, context=context
        )
        return pdf, context["respond_by"]

    return render_then_store(
        look=look,
        render=render,
        store=lambda seen, letter: _invite_store(case=seen[0], letter=letter, **invite),
        says=lambda seen: seen[1],
        refusal="The case changed while the letter was being made. Try again.",
    )


def _invite_store(
    *,
    actor: Any,
    case: Case,
    participant: Participant,
    channel: str,
    override_reason: str,
    code: str,
    now: dt.datetime,
    letter: tuple[Any, dt.date] | None,
) -> WillingnessInvitation:
    """Record the invitation (inside the caller's transaction). `letter` is a letter
    invitation's rendered PDF with the answer-by date it states, made by `willingness_invite`
    with this code."""
    from accord.deadlines.services import deadline_create
    from accord.safeguarding.services import ensure_case_not_paused

    case = _case_for(actor, case)
    ensure_part_applies(case, "willingness")
    ensure_case_not_paused(case, doing="inviting the other party")
    override_reason = (override_reason or "").strip() if isinstance(override_reason, str) else ""
    if isinstance(participant, Participant):
        participant = Participant.objects.filter(pk=participant.pk).first() or participant
    errors = _check_invite(case, participant, channel, override_reason)
    if errors:
        raise ValidationFailed("The invitation could not be sent.", field_errors=errors)
    earlier = list(
        WillingnessInvitation.objects.select_for_update()
        .filter(case=case, participant=participant, status=InvitationStatus.INVITED)
        .order_by("id")
    )
    deadline = deadline_create(
        actor=actor,
        case=case,
        rule_code=RESPONSE_RULE,
        start=now,
        owner=case.lead_mediator or actor,
        title="Other party's answer to the invitation to mediate",
        concerns_participant=participant,
    )
    invitation = WillingnessInvitation.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        participant=participant,
        channel=channel,
        secret_hash=codes.code_hash(code),
        sent_at=now,
        respond_by=london_date(deadline.due_at),
        created_by=actor,
        override_reason=override_reason,
        deadline=deadline,
    )
    for old in earlier:
        old.status = InvitationStatus.WITHDRAWN
        old.superseded_by = invitation
        old.withdrawn_reason = "Superseded by a newer invitation."
        old.save(update_fields=["status", "superseded_by", "withdrawn_reason", "updated_at"])
        _release_deadline(actor, old.deadline_id, "A newer invitation replaced this one.")
    invitation.case = case
    invitation.participant = participant
    if channel == InvitationChannel.EMAIL:
        email_enqueue_invitation(invitation, code)
        outcome = "Invitation email queued."
    else:
        from accord.documents.services import document_store

        if letter is None or invitation.respond_by != letter[1]:
            # The letter states an answer-by date the deadline no longer gives: make it again.
            raise ValidationFailed("The letter could not be made. Try again.")
        invitation.letter = document_store(
            actor=actor,
            case=case,
            rendered=letter[0],
            title="Invitation to consider mediation (letter)",
            document_code=f"willingness-letter-{participant.pk}",
        )
        invitation.save(update_fields=["letter", "updated_at"])
        outcome = "Invitation letter made, to print and post."
    # The invitation is itself an attempt to make contact: log it with the others.
    ContactAttempt.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        participant=participant,
        method=channel,
        at=now,
        outcome=outcome,
        by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="willingness.invited",
        target=invitation,
        case_id=case.pk,
        details={
            "invitation_id": invitation.pk,
            "participant_id": participant.pk,
            "channel": channel,
            "respond_by": invitation.respond_by.isoformat(),
            "superseded": [old.pk for old in earlier],
            "not_safe_to_contact_override": bool(override_reason),
            # The case team's own reason, required by the enquiry's safety answer: no party text.
            "override_reason": override_reason,
        },
    )
    from accord.cases.progress import case_advance

    case_advance(actor=actor, case=case, event="other_party_invited")
    invitation.secret = code
    return invitation


def email_enqueue_invitation(invitation: WillingnessInvitation, code: str) -> None:
    """Write the invitation email; it names only the service and links to the answer page."""
    from accord.deadlines.outbox import email_enqueue

    email_enqueue(
        organisation_id=invitation.organisation_id,
        key=f"willingness.invitation.{invitation.pk}",
        to_email=invitation.participant.email,
        subject=f"{invitation.case.organisation.name}: an invitation to consider mediation",
        body=_email_body(invitation, code),
    )


def _open_invitation(secret: str) -> WillingnessInvitation:
    """The invitation a code opens, row-locked; NotFoundOrHidden for a code that opens none."""
    code = codes.normalise(secret)
    invitation = (
        WillingnessInvitation.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation")
        .filter(secret_hash=codes.code_hash(code))
        .first()
        if code
        else None
    )
    if invitation is None:
        raise NotFoundOrHidden("This link is not valid.")
    return invitation


def link_problem(invitation: WillingnessInvitation, today: dt.date | None = None) -> str:
    """Why the link can no longer be used ("answered", "expired") or "" if it can."""
    if invitation.answered_at is not None:
        return "answered"
    today = today or london_date(timezone.now())
    if invitation.status != InvitationStatus.INVITED or today > invitation.respond_by:
        return "expired"
    return ""


@transaction.atomic
def willingness_answer(
    *, secret: str, answer: str, text: str, ip: str = ""
) -> WillingnessInvitation:
    """Record the invited person's answer through their link: once only, before it expires."""
    from accord.intake.services import ip_hash

    invitation = _open_invitation(secret)
    problem = link_problem(invitation)
    if problem == "answered":
        raise LinkClosed(
            "You have already answered this invitation. Thank you: the service has your answer.",
            reason=problem,
        )
    if problem:
        raise LinkClosed(
            "This link can no longer be used. Please contact the service if you would like to "
            "talk about mediation.",
            reason=problem,
        )
    text = (text or "").strip() if isinstance(text, str) else ""
    errors: dict[str, list[str]] = {}
    if answer not in AnswerChoice.values:
        errors["answer"] = ["Choose one answer."]
    elif answer == AnswerChoice.NOT_WILLING and not text:
        errors["text"] = ["Tell the service your reasons for not taking part."]
    elif answer == AnswerChoice.INFO_REQUESTED and not text:
        errors["text"] = ["Write the questions you would like the service to answer."]
    if len(text) > TEXT_LIMIT:
        errors["text"] = [f"Your answer must be {TEXT_LIMIT:,} characters or fewer."]
    if errors:
        raise ValidationFailed("Check your answer.", field_errors=errors)
    now = timezone.now()
    WillingnessAnswer.objects.create(
        invitation=invitation,
        answer=answer,
        text=text,
        answered_at=now,
        ip_hash=ip_hash(ip) if ip else "",
    )
    invitation.status = answer
    invitation.answered_at = now
    invitation.save(update_fields=["status", "answered_at", "updated_at"])
    _meet_deadline(invitation.deadline_id)
    case = invitation.case
    audit_record(
        organisation_id=case.organisation_id,
        actor=None,
        action="willingness.answered",
        target=invitation,
        case_id=case.pk,
        # The answer's kind only: the written reasons stay in the answer, for the case team.
        details={"invitation_id": invitation.pk, "answer": answer},
        actor_label=ANSWER_LINK_LABEL,
    )
    if answer == AnswerChoice.NOT_WILLING:
        _record_not_engaging(invitation, reason="refused")
    _tell_the_team_an_answer_arrived(invitation)
    return invitation


def _tell_the_team_an_answer_arrived(invitation: WillingnessInvitation) -> None:
    """Email whoever sent the invitation, and the lead mediator, that an answer is waiting.

    The email names the case reference only: the answer and its reasons stay on the case page,
    since staff inboxes are shared and forwarded.
    """
    from django.urls import reverse

    from accord.deadlines import conf
    from accord.deadlines.outbox import email_enqueue

    case = invitation.case
    link = conf.site_url()
    link = f"{link}{reverse('cases:detail', kwargs={'pk': case.pk})}" if link else ""
    people = {p.pk: p for p in (invitation.created_by, case.lead_mediator) if p is not None}
    for person in people.values():
        if not person.is_active or not person.email:
            continue
        where = f"See the answer on the case: {link}" if link else "Sign in to Accord to see it."
        body = (
            f"The other party has answered the invitation on case {case.reference}.\n\n"
            f"{where}\n\n{case.organisation.name}\n"
        )
        email_enqueue(
            organisation_id=case.organisation_id,
            key=f"willingness.{invitation.pk}.answered.{person.pk}",
            to_email=person.email,
            subject=f"An answer has arrived on case {case.reference}",
            body=body,
        )


def _record_not_engaging(invitation: WillingnessInvitation, *, reason: str) -> None:
    audit_record(
        organisation_id=invitation.organisation_id,
        actor=None,
        action="willingness.not_engaging",
        target=invitation,
        case_id=invitation.case_id,
        details={
            "invitation_id": invitation.pk,
            "participant_id": invitation.participant_id,
            "reason": reason,
        },
        actor_label="Accord",
    )


@transaction.atomic
def willingness_withdraw(
    *, actor: Any, invitation: WillingnessInvitation, reason: str
) -> WillingnessInvitation:
    """Withdraw an unanswered invitation: its link stops working and its deadline is waived."""
    try:
        invitation = WillingnessInvitation.objects.select_for_update().get(pk=invitation.pk)
    except WillingnessInvitation.DoesNotExist:
        raise NotFoundOrHidden("No such invitation.") from None
    case = _case_for(actor, invitation.case)
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    errors: dict[str, list[str]] = {}
    if invitation.status != InvitationStatus.INVITED:
        errors["__all__"] = [
            f"This invitation is “{invitation.get_status_display()}”, so it cannot be withdrawn."
        ]
    if not reason:
        errors["reason"] = ["Say why the invitation is withdrawn."]
    elif len(reason) > NOTE_LIMIT:
        errors["reason"] = [f"The reason must be {NOTE_LIMIT:,} characters or fewer."]
    if errors:
        raise ValidationFailed("The invitation could not be withdrawn.", field_errors=errors)
    invitation.status = InvitationStatus.WITHDRAWN
    invitation.withdrawn_reason = reason
    invitation.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    _release_deadline(actor, invitation.deadline_id, "The invitation was withdrawn.")
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="willingness.withdrawn",
        target=invitation,
        case_id=case.pk,
        details={"invitation_id": invitation.pk},
    )
    return invitation


@transaction.atomic
def contact_attempt_log(
    *,
    actor: Any,
    case: Case,
    participant: Participant,
    method: str,
    at: dt.datetime,
    outcome: str = "",
) -> ContactAttempt:
    """Log an attempt to reach the other party (by any means) and what came of it."""
    case = _case_for(actor, case)
    ensure_part_applies(case, "willingness")
    outcome = (outcome or "").strip() if isinstance(outcome, str) else ""
    errors: dict[str, list[str]] = {}
    if not isinstance(participant, Participant) or participant.case_id != case.pk:
        errors["participant"] = ["Choose a participant of this case."]
    if method not in ContactMethodUsed.values:
        errors["method"] = ["Choose how the service tried to make contact."]
    if not isinstance(at, dt.datetime) or at.utcoffset() is None:
        errors["at"] = ["Enter when the attempt was made, as a date and time."]
    elif at > timezone.now() + dt.timedelta(minutes=5):
        errors["at"] = ["The attempt must be in the past."]
    if len(outcome) > NOTE_LIMIT:
        errors["outcome"] = [f"The outcome must be {NOTE_LIMIT:,} characters or fewer."]
    if errors:
        raise ValidationFailed("The contact attempt could not be logged.", field_errors=errors)
    attempt = ContactAttempt.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        participant=participant,
        method=method,
        at=at,
        outcome=outcome,
        by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="willingness.contact_attempted",
        target=attempt,
        case_id=case.pk,
        details={"participant_id": participant.pk, "method": method, "at": at.isoformat()},
    )
    return attempt


def invitations_lapse_due() -> int:
    """Lapse every unanswered invitation past its respond-by date; returns how many.

    For the worker's loop: idempotent and safe to run twice at once (each invitation is locked
    and checked again in its own transaction, so it lapses, and is audited, exactly once).
    An invitation on a kind of case that invites no other party (made before kinds declared
    their parts) is left alone.
    """
    today = london_date(timezone.now())
    lapsed = 0
    due = WillingnessInvitation.objects.filter(
        status=InvitationStatus.INVITED,
        respond_by__lt=today,
        case__kind__in=kinds.kinds_with("willingness"),
    ).values_list("pk", flat=True)
    for pk in list(due):
        try:
            with transaction.atomic():
                lapsed += int(_lapse(pk, today))
        except DomainError:
            logger.exception("Could not lapse willingness invitation %s", pk)
    return lapsed


def _lapse(pk: int, today: dt.date) -> bool:
    invitation = (
        WillingnessInvitation.objects.select_for_update(of=("self",))
        .filter(
            pk=pk,
            status=InvitationStatus.INVITED,
            respond_by__lt=today,
            case__kind__in=kinds.kinds_with("willingness"),
        )
        .first()
    )
    if invitation is None:
        return False
    invitation.status = InvitationStatus.LAPSED
    invitation.save(update_fields=["status", "updated_at"])
    audit_record(
        organisation_id=invitation.organisation_id,
        actor=None,
        action="willingness.lapsed",
        target=invitation,
        case_id=invitation.case_id,
        details={"invitation_id": invitation.pk, "respond_by": invitation.respond_by.isoformat()},
        actor_label="Accord",
    )
    _record_not_engaging(invitation, reason="no_answer")
    return True


@transaction.atomic
def court_order_record(
    *,
    actor: Any,
    case: Case,
    court: str,
    ordered_on: Any,
    orders: str,
    court_case_number: str = "",
    details: str = "",
    comply_by: Any = None,
) -> CourtOrder:
    """Record a court's order to attend a MIAM or mediation; a date to comply by becomes a
    deadline on the case, owned by the lead mediator."""
    from accord.deadlines.services import deadline_create_due

    case = _case_for(actor, case)
    court = str(court or "").strip()
    court_case_number = str(court_case_number or "").strip()
    details = str(details or "").strip()
    today = london_date(timezone.now())
    errors: dict[str, list[str]] = {}
    if not court:
        errors["court"] = ["Enter the court that made the order, like Family Court at Leeds."]
    elif len(court) > 200:
        errors["court"] = ["The court's name must be 200 characters or fewer."]
    if not isinstance(ordered_on, dt.date):
        errors["ordered_on"] = ["Enter the date of the order."]
    elif ordered_on > today:
        errors["ordered_on"] = ["The date of the order cannot be in the future."]
    if orders not in CourtOrderKind.values:
        errors["orders"] = ["Choose what the court ordered: a MIAM or mediation."]
    if len(court_case_number) > 40:
        errors["court_case_number"] = ["The court's case number must be 40 characters or fewer."]
    if len(details) > NOTE_LIMIT:
        errors["details"] = [f"The details must be {NOTE_LIMIT:,} characters or fewer."]
    if comply_by is not None:
        if not isinstance(comply_by, dt.date):
            errors["comply_by"] = ["Enter the date by which the order must be followed."]
        elif comply_by < today:
            errors["comply_by"] = [
                "The date to comply by has already passed: leave it empty and add the details."
            ]
        elif isinstance(ordered_on, dt.date) and comply_by < ordered_on:
            errors["comply_by"] = ["The date to comply by cannot be before the date of the order."]
    if errors:
        raise ValidationFailed("The court order could not be recorded.", field_errors=errors)
    order = CourtOrder.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        court=court,
        ordered_on=ordered_on,
        court_case_number=court_case_number,
        orders=orders,
        details=details,
        comply_by=comply_by,
        recorded_by=actor,
    )
    if comply_by is not None:
        due_at = dt.datetime.combine(comply_by, dt.time(17, 0), tzinfo=LONDON)
        order.deadline = deadline_create_due(
            actor=actor,
            case=case,
            rule_code=COURT_ORDER_RULE,
            due_at=due_at,
            owner=case.lead_mediator or actor,
            title=f"Court order: {CourtOrderKind(orders).label.lower()} by this date",
        )
        order.save(update_fields=["deadline", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="willingness.court_order_recorded",
        target=order,
        case_id=case.pk,
        details={
            "orders": orders,
            "ordered_on": ordered_on.isoformat(),
            "comply_by": comply_by.isoformat() if comply_by else None,
        },
    )
    return order
