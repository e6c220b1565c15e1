"""Audit events cannot be changed or removed: not by the ORM, and not by SQL past the triggers."""

from __future__ import annotations

import importlib

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from accord.accounts.models import User
from accord.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from accord.audit.protection import trigger_problems
from accord.audit.verification import chain_verify
from accord.cases.services import case_open
from accord.organisations.models import Role
from accord.organisations.services import membership_grant, organisation_first_admin_grant


def raw(sql: str, params: list | None = None) -> None:
    """Run SQL in a savepoint so that a refusal leaves the test's transaction usable."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_the_append_only_triggers_are_installed(db):
    assert trigger_problems(connection) == []


def test_orm_bulk_update_and_delete_are_refused(chain_org):
    events = AuditEvent.objects.filter(organisation=chain_org)
    with pytest.raises(AppendOnlyError):
        events.update(action="changed")
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(organisation=chain_org, sequence=99)])
    assert not AuditEvent.objects.filter(action="changed").exists()
    assert events.count() == 7


def test_saving_or_deleting_one_event_is_refused(chain_org):
    event = AuditEvent.objects.filter(organisation=chain_org).first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action != "changed"


def test_sql_update_is_refused_by_the_database(chain_org):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE audit_auditevent SET action = 'changed'")
    # Past the manager's guard, through the ORM's plain manager: the database still refuses.
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(organisation=chain_org).update(action="changed")
    assert not AuditEvent.objects.filter(action="changed").exists()
    assert chain_verify(organisation_id=chain_org.pk).problem is None


def test_sql_delete_is_refused_by_the_database(chain_org):
    with pytest.raises(IntegrityError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE organisation_id = %s", [chain_org.pk])
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(organisation=chain_org).delete()
    assert AuditEvent.objects.filter(organisation=chain_org).count() == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_by_the_database(chain_org):
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # let the test's own pending FK checks run first
    with pytest.raises(IntegrityError, match="append-only"):
        raw("TRUNCATE audit_auditevent CASCADE")
    assert AuditEvent.objects.filter(organisation=chain_org).count() == 7


def test_the_chain_head_cannot_move_backwards(chain_org):
    with pytest.raises(IntegrityError, match="only moves forward"):
        raw(
            "UPDATE audit_auditchainhead SET last_sequence = last_sequence - 1 "
            "WHERE organisation_id = %s",
            [chain_org.pk],
        )
    with pytest.raises(IntegrityError, match="only moves forward"):
        raw(
            "UPDATE audit_auditchainhead SET last_hash = 'forged' WHERE organisation_id = %s",
            [chain_org.pk],
        )
    assert AuditChainHead.objects.get(organisation=chain_org).last_sequence == 7


def test_an_organisation_with_a_trail_cannot_be_deleted(chain_org):
    with pytest.raises(ProtectedError):
        chain_org.delete()


def test_deleting_a_case_or_a_person_leaves_their_events_intact(chain_org):
    admin = User.objects.create_user("admin@example.org", full_name="Admin")
    organisation_first_admin_grant(actor=None, organisation=chain_org, user=admin)
    coordinator = User.objects.create_user("coord@example.org", full_name="Coordinator")
    membership_grant(actor=admin, organisation=chain_org, user=coordinator, role=Role.COORDINATOR)
    case = case_open(
        actor=coordinator, organisation=chain_org, kind="family_children", title="Deleted later"
    )
    opened = AuditEvent.objects.get(action="case.opened", case_id=case.pk)
    case.delete()
    coordinator.delete()
    assert AuditEvent.objects.get(pk=opened.pk).actor_id is not None
    assert chain_verify(organisation_id=chain_org.pk).problem is None


class _SchemaEditor:
    """Just what the trigger migration's functions use, so they run inside the test's
    transaction (Django's SQLite schema editor refuses to open inside one)."""

    connection = connection

    def execute(self, sql: str, params: None = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _immediate_constraints() -> None:
    """PostgreSQL refuses to alter triggers while this transaction has deferred FK checks."""
    if connection.vendor == "postgresql":
        raw("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_trigger_migration_reverses_and_reapplies(chain_org):
    migration = importlib.import_module("accord.audit.migrations.0002_append_only")
    _immediate_constraints()
    migration.remove(None, _SchemaEditor())
    assert len(trigger_problems(connection)) >= 3
    raw("UPDATE audit_auditevent SET action = 'changed' WHERE sequence = 1")  # now allowed
    migration.install(None, _SchemaEditor())
    assert trigger_problems(connection) == []
    with pytest.raises(IntegrityError, match="append-only"):
        raw("UPDATE audit_auditevent SET action = 'changed again'")


def test_flush_empties_the_trail_and_puts_the_guards_back(chain_org):
    _immediate_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()
    assert trigger_problems(connection) == []
