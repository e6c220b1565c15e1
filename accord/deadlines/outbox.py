"""Writing an email into the outbox from any service, in that service's transaction.

Every app that tells someone something by email (an invitation to the other party, a MIAM or
session reminder, a document shared) calls `email_enqueue` inside its own `transaction.atomic`:
the email exists if and only if the change that caused it committed, and the worker delivers it
at least once with a fixed Message-ID (see accord.deadlines.delivery and docs/deadlines.md).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from accord.deadlines import conf
from accord.deadlines.models import OutboundEmail

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,150}$")


def email_enqueue(
    *,
    organisation_id: int | None,
    key: str,
    to_email: str,
    subject: str,
    body: str,
    still_relevant: tuple[str, str] | None = None,
    attachment: tuple[str, str, str] | None = None,
) -> tuple[OutboundEmail, bool]:
    """Put one email in the outbox, once per `key`; returns it and whether it was new.

    `key` names the message uniquely and stably (for example "miam.12.reminder.34"), so calling
    twice for the same thing, as a sweep run twice at once may, writes one email. Keep the
    subject and body free of anything a shared inbox should not show.

    `still_relevant` names a registered check and its reference (see accord.deadlines.relevance)
    that the deliverer asks before sending; `attachment` is (file name, content type, text).
    `organisation_id` is None only for account emails to someone who belongs to no service (a
    platform operator, or a password-reset request for an address Accord does not know).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "email_enqueue must run inside the transaction of the change it reports."
        )
    if not _KEY.match(key):
        raise ValueError(f"Email key {key!r} must be lower-case letters, digits, dots and dashes.")
    from accord.deadlines.tasks import deliver_email, enqueue_after_commit

    email, created = OutboundEmail.objects.get_or_create(
        message_id=f"<accord.{key}@{conf.message_id_domain()}>",
        defaults={
            "organisation_id": organisation_id,
            "to_email": to_email,
            "subject": subject[:300],
            "body": body,
            "next_attempt_at": timezone.now(),
            "relevance_check": still_relevant[0] if still_relevant else "",
            "relevance_ref": still_relevant[1] if still_relevant else "",
            "attachment_name": attachment[0] if attachment else "",
            "attachment_type": attachment[1] if attachment else "",
            "attachment_body": attachment[2] if attachment else "",
        },
    )
    if created:
        enqueue_after_commit(deliver_email, email.pk)
    return email, created
