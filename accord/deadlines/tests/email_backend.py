"""An email backend for the worker tests: appends each Message-ID to a file shared by processes."""

from __future__ import annotations

import os
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class MessageIdLogBackend(BaseEmailBackend):
    """Writes one line per delivered email to the file named by ACCORD_TEST_EMAIL_LOG."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        path = os.environ["ACCORD_TEST_EMAIL_LOG"]
        # O_APPEND writes of one short line are atomic, so two processes never interleave.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for message in email_messages:
                os.write(fd, (str(message.extra_headers["Message-ID"]) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        return len(email_messages)
