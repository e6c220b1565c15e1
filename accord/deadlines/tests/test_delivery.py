"""Reminder emails: written to the outbox exactly once, delivered with a stable Message-ID, and
saying nothing a recipient may not know."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.deadlines import delivery, services
from accord.deadlines.models import OutboundEmail, Reminder


@pytest.fixture(autouse=True)
def _memory_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Accord <accord@riverside.example>"


def soon(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def make_due(reminders: Any) -> None:
    reminders.update(send_after=timezone.now() - dt.timedelta(minutes=1))


def test_each_due_reminder_is_written_to_the_outbox_once(service, make_deadline):
    deadline = make_deadline(due_at=soon(10))
    make_due(Reminder.objects.filter(deadline=deadline))
    assert delivery.reminders_dispatch_due() == 2
    assert delivery.reminders_dispatch_due() == 0
    emails = OutboundEmail.objects.order_by("id")
    assert emails.count() == 2
    for email in emails:
        reminder = email.reminder
        assert reminder is not None and reminder.sent_at is not None and reminder.attempts == 1
        assert email.message_id == (
            f"<accord.reminder.{reminder.pk}.{deadline.pk}.{reminder.kind}@riverside.example>"
        )
        assert email.to_email == service.mediator.email
    assert AuditEvent.objects.filter(action="deadline.reminder_sent").count() == 2


def test_reminders_not_yet_due_wait(service, make_deadline):
    make_deadline(due_at=soon(10))
    assert delivery.reminders_dispatch_due() == 0
    assert not OutboundEmail.objects.exists()


def test_delivery_sets_the_message_id_and_happens_once(service, make_deadline):
    deadline = make_deadline(due_at=soon(10))
    make_due(Reminder.objects.filter(deadline=deadline, kind="before"))
    delivery.reminders_dispatch_due()
    email = OutboundEmail.objects.get()
    assert delivery.outbox_deliver_due() == 1
    assert delivery.outbox_deliver_due() == 0
    assert delivery.outbox_deliver_one(email_id=email.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.message()["Message-ID"] == email.message_id
    assert message.to == [service.mediator.email]
    email.refresh_from_db()
    assert email.status == "delivered" and email.delivered_at is not None and email.attempts == 1


class _FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_a_failed_delivery_is_retried_later_then_given_up(service, make_deadline, settings):
    deadline = make_deadline(due_at=soon(10))
    make_due(Reminder.objects.filter(deadline=deadline, kind="before"))
    delivery.reminders_dispatch_due()
    settings.EMAIL_BACKEND = f"{__name__}._FailingBackend"
    settings.ACCORD_EMAIL_MAX_ATTEMPTS = 2
    delivery.outbox_deliver_due()
    email = OutboundEmail.objects.get()
    assert email.status == "pending" and email.attempts == 1
    assert "mail server down" in email.last_error and email.next_attempt_at > timezone.now()
    assert delivery.outbox_deliver_due() == 0  # not due again yet
    delivery.outbox_deliver_due(now=email.next_attempt_at + dt.timedelta(seconds=1))
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2


def test_a_met_deadline_sends_no_more_reminders(service, make_deadline):
    deadline = make_deadline(due_at=soon(10))
    services.deadline_meet(actor=service.mediator, deadline=deadline)
    make_due(Reminder.objects.filter(deadline=deadline))
    assert delivery.reminders_dispatch_due() == 0
    assert not OutboundEmail.objects.exists()


def test_a_recipient_who_lost_access_is_not_emailed(service, make_deadline):
    deadline = make_deadline(due_at=soon(10), owner=service.supervisor)
    Case.objects.filter(pk=service.case.pk).update(supervisor=None)
    make_due(Reminder.objects.filter(deadline=deadline))
    assert delivery.reminders_dispatch_due() == 2
    assert not OutboundEmail.objects.exists()
    assert not Reminder.objects.filter(deadline=deadline, cancelled_at__isnull=True).exists()


def test_staff_email_names_the_case_by_reference_only(service, make_deadline):
    deadline = make_deadline(due_at=soon(10), title="Send the MIAM letters")
    make_due(Reminder.objects.filter(deadline=deadline, kind="before"))
    delivery.reminders_dispatch_due()
    email = OutboundEmail.objects.get()
    assert service.case.reference in email.subject and "Send the MIAM letters" in email.subject
    assert "Send the MIAM letters" in email.body
    assert "Smith" not in email.body + email.subject  # the case title holds the parties' names


def test_restricted_email_goes_only_to_the_audience_with_a_neutral_subject(service, make_deadline):
    deadline = make_deadline(
        due_at=soon(1),
        actor=service.mediator,
        visibility="restricted",
        title="Self-referral to children's services",
    )
    services.deadlines_mark_missed(now=soon(2))
    make_due(Reminder.objects.filter(deadline=deadline))
    delivery.reminders_dispatch_due()
    emails = list(OutboundEmail.objects.all())
    recipients = {e.to_email for e in emails}
    assert recipients <= {service.mediator.email, service.supervisor.email}
    assert service.supervisor.email in recipients
    for email in emails:
        assert "children" not in email.subject.lower() and "safeguard" not in email.subject.lower()


def test_participant_email_says_nothing_about_others(service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    deadline = make_deadline(
        due_at=soon(10),
        title="Send your bank statements",
        concerns_participant=alice,
        visible_to_participants=True,
    )
    reminder = Reminder.objects.get(deadline=deadline, recipient=service.parties["alice"])
    assert reminder.kind == "before"
    make_due(Reminder.objects.filter(pk=reminder.pk))
    delivery.reminders_dispatch_due()
    email = OutboundEmail.objects.get(reminder=reminder)
    text = email.subject + email.body
    assert email.to_email == service.parties["alice"].email
    assert "Send your bank statements" in text and service.organisation.name in text
    for secret in ("Bob", "Jones", "Smith / Jones", "Hidden Lane", service.mediator.full_name):
        assert secret not in text


def test_bob_gets_no_reminder_about_alices_deadline(service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    deadline = make_deadline(
        due_at=soon(10), concerns_participant=alice, visible_to_participants=True
    )
    recipients = set(Reminder.objects.filter(deadline=deadline).values_list("recipient", flat=True))
    assert recipients == {service.mediator.pk, service.parties["alice"].pk}


def test_no_participant_reminder_when_email_is_not_safe(service, make_deadline):
    alice = Participant.objects.get(case=service.case, user=service.parties["alice"])
    Participant.objects.filter(pk=alice.pk).update(safe_contact_methods=["phone"])
    alice.refresh_from_db()
    deadline = make_deadline(
        due_at=soon(10), concerns_participant=alice, visible_to_participants=True
    )
    assert not Reminder.objects.filter(
        deadline=deadline, recipient=service.parties["alice"]
    ).exists()


def test_a_failing_reminder_is_retried_without_blocking_others(service, make_deadline, monkeypatch):
    deadline = make_deadline(due_at=soon(10))
    make_due(Reminder.objects.filter(deadline=deadline))
    calls = {"n": 0}
    real = delivery._render

    def flaky(reminder: Any) -> Any:
        calls["n"] += 1
        if reminder.kind == "before":
            raise RuntimeError("template broken")
        return real(reminder)

    monkeypatch.setattr(delivery, "_render", flaky)
    assert delivery.reminders_dispatch_due() == 1
    failed = Reminder.objects.get(deadline=deadline, kind="before")
    assert failed.sent_at is None and failed.attempts == 1
    assert "template broken" in failed.last_error and failed.send_after > timezone.now()
    assert OutboundEmail.objects.count() == 1


def test_a_closed_case_sends_no_reminders(service, make_deadline):
    deadline = make_deadline(due_at=soon(10))
    Case.objects.filter(pk=service.case.pk).update(stage="closed")
    make_due(Reminder.objects.filter(deadline=deadline))
    delivery.reminders_dispatch_due()
    assert not OutboundEmail.objects.exists()
    assert set(Reminder.objects.values_list("last_error", flat=True)) == {"The case is closed."}
