"""Password-reset emails go through the outbox: an unreachable mail server never answers 500."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from accord.deadlines.delivery import outbox_deliver_due
from accord.deadlines.models import OutboundEmail, OutboundStatus


class UnreachableBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused")


def test_a_reset_request_with_the_mail_server_down_still_answers_and_is_retried(
    client, service, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"
    bob = service.parties["bob"]

    response = client.post(reverse("account_reset_password"), {"email": bob.email})
    outbox_deliver_due()

    assert response.status_code == 302
    email = OutboundEmail.objects.get(to_email=bob.email)
    assert email.organisation_id == service.organisation.pk
    assert "/password/reset/key/" in email.body
    assert email.status == OutboundStatus.PENDING
    assert email.attempts == 1
    assert "Connection refused" in email.last_error


def test_a_reset_for_an_unknown_address_is_queued_without_a_service(client, db, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    outbox_deliver_due()

    assert response.status_code == 302
    email = OutboundEmail.objects.get(to_email="nobody@example.com")
    assert email.organisation_id is None
    assert [m.to for m in mailoutbox] == [["nobody@example.com"]]
    assert "/password/reset/key/" not in mailoutbox[0].body
