"""Make the audit trail append-only in the database itself, not only in the ORM.

Triggers refuse UPDATE and DELETE of audit events (and TRUNCATE on PostgreSQL), and refuse
moving an organisation's chain head backwards. Someone with owner rights over the database
can still drop or disable them; `accord audit verify` reports both missing triggers and any
rows changed while they were off (see docs/audit.md).

On SQLite, Django rebuilds a table (dropping its triggers) for many schema changes: any
later migration that alters audit_auditevent or audit_auditchainhead must recreate them.
"""

from django.db import migrations, models

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.last_sequence <= OLD.last_sequence
           OR NEW.organisation_id <> OLD.organisation_id THEN
            RAISE EXCEPTION 'the audit chain head only moves forward'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END;
    $$
    """,
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()",
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_head_forward_only()",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE on audit_auditevent refused'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE on audit_auditevent refused'); END
    """,
    """
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
    WHEN NEW.last_sequence <= OLD.last_sequence OR NEW.organisation_id <> OLD.organisation_id
    BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_head_forward_only",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def install(apps, schema_editor):
    install_sql, _ = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in install_sql:
        schema_editor.execute(statement, params=None)


def remove(apps, schema_editor):
    _, remove_sql = STATEMENTS.get(schema_editor.connection.vendor, ([], []))
    for statement in remove_sql:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        # First: on SQLite adding a constraint rebuilds the table, which would drop triggers.
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("visibility__in", ["case", "restricted"])),
                name="audit_event_visibility_valid",
            ),
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
