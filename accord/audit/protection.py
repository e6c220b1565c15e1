"""The database triggers that keep the audit trail append-only (installed by migration 0002).

This module knows their names so that `accord audit verify` can report triggers that were
dropped or disabled, and so that `flush` (which empties every table, for example between
transactional tests) can lift them for the length of its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

#: Trigger name -> table, per database vendor.
EXPECTED_TRIGGERS: dict[str, dict[str, str]] = {
    "postgresql": {
        "audit_event_no_update": "audit_auditevent",
        "audit_event_no_delete": "audit_auditevent",
        "audit_event_no_truncate": "audit_auditevent",
        "audit_head_forward_only": "audit_auditchainhead",
    },
    "sqlite": {
        "audit_event_no_update": "audit_auditevent",
        "audit_event_no_delete": "audit_auditevent",
        "audit_head_forward_only": "audit_auditchainhead",
    },
}


def trigger_problems(connection: Any) -> list[str]:
    """What is wrong with the append-only triggers: missing or disabled ones (empty if none)."""
    expected = EXPECTED_TRIGGERS.get(connection.vendor, {})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, t.tgenabled FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relname IN ('audit_auditevent', "
                "'audit_auditchainhead') AND pg_table_is_visible(c.oid)"
            )
            present = {name: enabled != "D" for name, enabled in cursor.fetchall()}
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            present = {name: True for (name,) in cursor.fetchall()}
        else:
            return []
    problems = []
    for name, table in expected.items():
        if name not in present:
            problems.append(f"trigger {name} on {table} is missing")
        elif not present[name]:
            problems.append(f"trigger {name} on {table} is disabled")
    return problems


@contextmanager
def guards_lifted(connection: Any) -> Iterator[None]:
    """Run the block with the delete guards off, restoring them in the same transaction.

    Only for emptying the whole database (`flush`). DDL is transactional on both databases,
    so if anything fails the guards come back with the rollback.
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = 'audit_event_no_truncate' "
                "AND tgrelid = to_regclass('audit_auditevent')"
            )
            guarded = cursor.fetchone() is not None
            if guarded:
                cursor.execute(
                    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate"
                )
            yield
            if guarded:
                cursor.execute(
                    "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate"
                )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name = 'audit_event_no_delete'"
            )
            saved = cursor.fetchone()
            if saved:
                cursor.execute("DROP TRIGGER audit_event_no_delete")
            yield
            if saved:
                cursor.execute(saved[0])
        else:
            yield
