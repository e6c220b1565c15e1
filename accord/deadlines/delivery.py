"""Sending reminders: each one claimed once into the outbox, then delivered at least once.

Two steps, so that a crash can never send a reminder twice into the outbox or lose one:

1. `reminders_dispatch_due` claims a due reminder with `SELECT ... FOR UPDATE SKIP LOCKED` and, in
   the same transaction, marks it sent, writes its email to the outbox (`OutboundEmail`, with a
   Message-ID derived from the reminder) and records the audit event. Either all of that commits
   or none of it does; a second worker skips the locked row; the outbox row is unique per reminder.
2. `outbox_deliver_due` hands pending outbox emails to the mail server, each under a row lock, and
   marks them delivered after the server accepts them. A crash between the two repeats the
   delivery later with the same Message-ID: at least once, never silently dropped.
See docs/deadlines.md for what is and is not guaranteed at the SMTP boundary.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.audit.services import audit_record
from accord.deadlines import conf, policy
from accord.deadlines.emails import (
    RenderedEmail,
    render_participant_reminder,
    render_staff_reminder,
)
from accord.deadlines.models import (
    DeadlineStatus,
    OutboundEmail,
    OutboundStatus,
    Reminder,
    ReminderKind,
)
from accord.organisations.selectors import roles_in

logger = logging.getLogger(__name__)

#: Called inside the claim transaction after the reminder is written to the outbox; the worker's
#: crash test uses it to pause there. Production passes nothing.
ClaimHook = Callable[[Reminder], None]

_MAX_REMINDER_ATTEMPTS = 5


def message_id_for(reminder: Reminder) -> str:
    """The fixed Message-ID of a reminder's email: the same on every delivery attempt."""
    return (
        f"<accord.reminder.{reminder.pk}.{reminder.deadline_id}.{reminder.kind}"
        f"@{conf.message_id_domain()}>"
    )


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _is_staff_recipient(reminder: Reminder) -> bool:
    return bool(roles_in(reminder.recipient, reminder.deadline.organisation_id))


def _reason_not_to_send(reminder: Reminder) -> str:
    """Why a due reminder should be dropped instead of sent, or an empty string to send it."""
    deadline = reminder.deadline
    status = deadline.status
    if reminder.kind == ReminderKind.BEFORE and status != DeadlineStatus.OPEN:
        return "The deadline is no longer open."
    if reminder.kind == ReminderKind.DUE and status not in (
        DeadlineStatus.OPEN,
        DeadlineStatus.MISSED,
    ):
        return "The deadline was met or waived."
    if reminder.kind == ReminderKind.ESCALATION and status != DeadlineStatus.MISSED:
        return "The deadline is not missed."
    if deadline.case.is_closed and reminder.kind != ReminderKind.ESCALATION:
        return "The case is closed."
    recipient = reminder.recipient
    if not recipient.is_active or not recipient.email:
        return "The recipient has no active account with an email address."
    if _is_staff_recipient(reminder):
        if not policy.can_view(recipient, deadline):
            return "The recipient may no longer see this deadline."
        return ""
    # Anyone else must be the portal participant the deadline concerns, and still allowed to see it.
    participant_user = policy.participant_email_recipient(deadline)
    if participant_user is None or participant_user.pk != recipient.pk:
        return "The deadline is no longer shared with this participant."
    if not policy.participant_can_view(recipient, deadline):
        return "The participant may no longer see this deadline."
    return ""


def _render(reminder: Reminder) -> RenderedEmail:
    if _is_staff_recipient(reminder):
        return render_staff_reminder(reminder)
    return render_participant_reminder(reminder)


class _RenderFailed(Exception):
    def __init__(self, reminder_id: int, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.reminder_id = reminder_id


def _claim_and_write(now: dt.datetime, on_claimed: ClaimHook | None) -> int | None:
    """Claim one due reminder and write its email to the outbox in one transaction."""
    from accord.deadlines.tasks import deliver_email, enqueue_after_commit

    with transaction.atomic():
        reminder = (
            # Locking the deadline too keeps a reminder from going out while someone marks the
            # deadline met; SKIP LOCKED moves on to other work meanwhile.
            Reminder.objects.select_for_update(skip_locked=True, of=("self", "deadline"))
            .select_related(
                "deadline",
                "deadline__case",
                "deadline__case__organisation",
                "deadline__owner",
                "deadline__rule",
                "deadline__concerns_participant",
                "recipient",
            )
            .filter(sent_at__isnull=True, cancelled_at__isnull=True, send_after__lte=now)
            .order_by("send_after", "id")
            .first()
        )
        if reminder is None:
            return None
        deadline = reminder.deadline
        why_not = _reason_not_to_send(reminder)
        if why_not:
            reminder.cancelled_at = now
            reminder.last_error = why_not
            reminder.save(update_fields=["cancelled_at", "last_error"])
            audit_record(
                organisation_id=deadline.organisation_id,
                actor=None,
                action="deadline.reminder_cancelled",
                target=reminder,
                case_id=deadline.case_id,
                visibility=deadline.visibility,
                details={
                    "kind": reminder.kind,
                    "recipient_id": reminder.recipient_id,
                    "why": why_not,
                },
            )
        else:
            try:
                rendered = _render(reminder)
            except Exception as exc:
                raise _RenderFailed(reminder.pk, exc) from exc
            email = OutboundEmail.objects.create(
                organisation_id=deadline.organisation_id,
                reminder=reminder,
                message_id=message_id_for(reminder),
                to_email=reminder.recipient.email,
                subject=rendered.subject,
                body=rendered.body,
                next_attempt_at=now,
            )
            reminder.sent_at = now
            reminder.attempts += 1
            reminder.save(update_fields=["sent_at", "attempts"])
            audit_record(
                organisation_id=deadline.organisation_id,
                actor=None,
                action="deadline.reminder_sent",
                target=reminder,
                case_id=deadline.case_id,
                visibility=deadline.visibility,
                details={
                    "kind": reminder.kind,
                    "recipient_id": reminder.recipient_id,
                    "message_id": email.message_id,
                },
            )
            enqueue_after_commit(deliver_email, email.pk)
        if on_claimed is not None:
            on_claimed(reminder)
        return reminder.pk


@transaction.atomic
def _record_reminder_failure(reminder_id: int, error: str, now: dt.datetime) -> None:
    """Push a reminder that could not be written back a while; give up after a few tries."""
    reminder = (
        Reminder.objects.select_for_update().filter(pk=reminder_id, sent_at__isnull=True).first()
    )
    if reminder is None:
        return
    reminder.attempts += 1
    reminder.last_error = error[:500]
    reminder.send_after = now + _backoff(reminder.attempts)
    fields = ["attempts", "last_error", "send_after"]
    if reminder.attempts >= _MAX_REMINDER_ATTEMPTS:
        reminder.cancelled_at = now
        fields.append("cancelled_at")
    reminder.save(update_fields=fields)
    logger.error(
        "Reminder %s could not be prepared (attempt %s): %s", reminder_id, reminder.attempts, error
    )


def reminders_dispatch_due(
    *, now: dt.datetime | None = None, limit: int = 500, on_claimed: ClaimHook | None = None
) -> int:
    """Write every due reminder's email to the outbox, each exactly once; returns how many."""
    handled = 0
    while handled < limit:
        moment = now or timezone.now()
        try:
            claimed = _claim_and_write(moment, on_claimed)
        except _RenderFailed as failure:
            _record_reminder_failure(failure.reminder_id, str(failure), moment)
            continue
        if claimed is None:
            break
        handled += 1
    return handled


#: Where the database has no SKIP LOCKED (SQLite), a claimed email is leased for this long instead
#: of row-locked, so the database's single write lock is not held while the mail server answers.
DELIVERY_LEASE = dt.timedelta(minutes=10)


def _pending(now: dt.datetime, only_id: int | None) -> QuerySet[OutboundEmail]:
    pending = OutboundEmail.objects.filter(status=OutboundStatus.PENDING, next_attempt_at__lte=now)
    if only_id is not None:
        pending = pending.filter(pk=only_id)
    return pending.order_by("next_attempt_at", "id")


def _send(email: OutboundEmail, mailer: Any) -> str:
    """Hand one email to the mail server; the error text, or an empty string on success."""
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers={"Message-ID": email.message_id},
        connection=mailer,
    )
    if email.attachment_name:
        message.attach(
            email.attachment_name,
            email.attachment_body,
            email.attachment_type or "text/plain",
        )
    try:
        message.send()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:500] or "Unknown error"
    return ""


def _record(email: OutboundEmail, now: dt.datetime, error: str) -> None:
    email.attempts += 1
    if not error:
        email.status = OutboundStatus.DELIVERED
        email.delivered_at = timezone.now()
        email.last_error = ""
    else:
        email.last_error = error
        email.next_attempt_at = now + _backoff(email.attempts)
        if email.attempts >= conf.email_max_attempts():
            email.status = OutboundStatus.FAILED
            logger.error("Gave up delivering %s: %s", email.message_id, error)
        else:
            logger.warning("Delivery of %s failed; will retry: %s", email.message_id, error)
    email.save(
        update_fields=["attempts", "last_error", "next_attempt_at", "status", "delivered_at"]
    )


def _drop_if_stale(email: OutboundEmail) -> bool:
    """Drop an email whose reason no longer holds, recording why; True when dropped."""
    from accord.deadlines.relevance import reason_to_drop

    why = reason_to_drop(email.relevance_check, email.relevance_ref)
    if not why:
        return False
    email.status = OutboundStatus.DROPPED
    email.last_error = why
    email.save(update_fields=["status", "last_error"])
    logger.info("Dropped %s: %s", email.message_id, why)
    return True


def _deliver_next(
    now: dt.datetime, mailer: Any, only_id: int | None = None
) -> OutboundEmail | None:
    """Deliver one pending outbox email; None when there is nothing to do.

    The email is marked delivered only after the mail server has accepted it, so a crash in
    between repeats the delivery (with the same Message-ID) rather than losing it.
    """
    if db_connection.features.has_select_for_update_skip_locked:
        # The row lock keeps other workers off this email until the outcome is committed.
        with transaction.atomic():
            email = _pending(now, only_id).select_for_update(skip_locked=True).first()
            if email is None:
                return None
            if not _drop_if_stale(email):
                _record(email, now, _send(email, mailer))
            return email
    with transaction.atomic():
        email = _pending(now, only_id).first()
        if email is None:
            return None
        if _drop_if_stale(email):
            return email
        OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=now + DELIVERY_LEASE)
    error = _send(email, mailer)
    with transaction.atomic():
        _record(email, now, error)
    return email


def outbox_deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Hand every pending outbox email that is due to the mail server; returns how many tried."""
    tried = 0
    mailer = get_connection()
    seen: set[int] = set()
    while tried < limit:
        email = _deliver_next(now or timezone.now(), mailer)
        if email is None or email.pk in seen:
            break
        seen.add(email.pk)
        tried += 1
    return tried


def outbox_deliver_one(*, email_id: int) -> bool:
    """Deliver one outbox email now if it is still pending; True when it was delivered."""
    email = _deliver_next(timezone.now(), get_connection(), only_id=email_id)
    return email is not None and email.status == OutboundStatus.DELIVERED
