"""Django's `flush`, with the audit trail's delete guards lifted while it empties the database.

Emptying every table is the one legitimate way audit events disappear (a fresh database, or
between transactional tests); without this the append-only triggers would refuse it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from accord.audit.protection import guards_lifted


class Command(flush.Command):
    help = flush.Command.help + " The audit trail is emptied too."

    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with guards_lifted(connection):
            super().handle(**options)
