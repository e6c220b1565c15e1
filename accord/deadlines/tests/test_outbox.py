"""The shared outbox writer: once per key, only inside the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from accord.deadlines.models import OutboundEmail
from accord.deadlines.outbox import email_enqueue


def _send(service, key="test.1"):
    with transaction.atomic():
        return email_enqueue(
            organisation_id=service.organisation.pk,
            key=key,
            to_email="alice@example.org",
            subject="Your meeting",
            body="Hello",
        )


def test_the_same_key_writes_one_email(service):
    first, created = _send(service)
    again, created_again = _send(service)
    assert created and not created_again
    assert first.pk == again.pk
    assert OutboundEmail.objects.filter(to_email="alice@example.org").count() == 1
    assert first.message_id.startswith("<accord.test.1@")


@pytest.mark.django_db(transaction=True)
def test_an_email_outside_a_transaction_is_refused(service):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        email_enqueue(
            organisation_id=service.organisation.pk,
            key="test.2",
            to_email="a@example.org",
            subject="s",
            body="b",
        )


def test_a_rolled_back_change_leaves_no_email(service):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        email_enqueue(
            organisation_id=service.organisation.pk,
            key="test.3",
            to_email="a@example.org",
            subject="s",
            body="b",
        )
        1 / 0  # noqa: B018
    assert not OutboundEmail.objects.filter(message_id__startswith="<accord.test.3@").exists()


def test_a_key_with_odd_characters_is_refused(service):
    with pytest.raises(ValueError, match="lower-case"):
        _send(service, key="Bad Key!")
