"""Fixtures for the audit trail tests: a small chain, and tampering as an attacker would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from accord.audit.models import AuditEvent
from accord.audit.services import audit_record
from accord.organisations.models import Organisation
from accord.organisations.services import organisation_create


def record_events(organisation: Organisation, count: int) -> list[AuditEvent]:
    """Append `count` varied events to the organisation's chain, one transaction each."""
    events = []
    for number in range(count):
        with transaction.atomic():
            events.append(
                audit_record(
                    organisation_id=organisation.pk,
                    actor=None,
                    action=f"test.step_{number}",
                    target=organisation,
                    visibility="restricted" if number % 3 == 2 else "case",
                    details={
                        "number": number,
                        "fee": Decimal("125.50"),
                        "hours": 1.5,
                        "note": "Zo\u00eb\u2019s caf\u00e9 \u2013 \U0001f600",
                        "nested": {"b": [1, 2], "a": None},
                    },
                )
            )
    return events


@pytest.fixture
def chain_org(db) -> Organisation:
    """An organisation whose chain holds the creation event plus six more (seven in all)."""
    organisation = organisation_create(
        actor=None, name="Chain Test Mediation", slug="chain-test", reference_prefix="CTM"
    )
    record_events(organisation, 6)
    return organisation


@contextmanager
def _guards_off() -> Iterator[None]:
    """Turn off the append-only triggers the way someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Pending deferred foreign-key checks would block ALTER TABLE inside the test's
            # transaction; run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
            yield
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_auditevent', 'audit_auditchainhead')"
            )
            saved = cursor.fetchall()
            for name, _ in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in saved:
                cursor.execute(sql)


@pytest.fixture
def tamper() -> Callable[..., None]:
    """Run raw SQL against the audit tables with the triggers off, then put them back."""

    def run(*statements: str | tuple[str, list[Any]]) -> None:
        with _guards_off(), connection.cursor() as cursor:
            for statement in statements:
                if isinstance(statement, tuple):
                    cursor.execute(statement[0], statement[1])
                else:
                    cursor.execute(statement)

    return run


@pytest.fixture
def guards_off() -> Callable[[], Any]:
    """The raw trigger switch, for tests that leave the protection off on purpose."""
    return _guards_off
