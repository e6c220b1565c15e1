"""Normalised keys on participants (conflict check) and a text index for case search.

The text index depends on the database: an FTS5 table kept in step by triggers on SQLite,
pg_trgm GIN indexes on PostgreSQL (docs/search.md).
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from accord.cases.normalise import normalise_email, normalise_name, normalise_phone

SQLITE_FORWARD = [
    # External-content FTS5 tables: the rows stay in the tables, the index holds the words.
    "CREATE VIRTUAL TABLE cases_participant_fts USING fts5("
    "name_key, email_key, phone_key, content='cases_participant', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cases_participant_fts_ai AFTER INSERT ON cases_participant BEGIN "
    "INSERT INTO cases_participant_fts(rowid, name_key, email_key, phone_key) "
    "VALUES (new.id, new.name_key, new.email_key, new.phone_key); END",
    "CREATE TRIGGER cases_participant_fts_ad AFTER DELETE ON cases_participant BEGIN "
    "INSERT INTO cases_participant_fts(cases_participant_fts, rowid, name_key, email_key, "
    "phone_key) VALUES ('delete', old.id, old.name_key, old.email_key, old.phone_key); END",
    "CREATE TRIGGER cases_participant_fts_au AFTER UPDATE OF name_key, email_key, phone_key "
    "ON cases_participant BEGIN "
    "INSERT INTO cases_participant_fts(cases_participant_fts, rowid, name_key, email_key, "
    "phone_key) VALUES ('delete', old.id, old.name_key, old.email_key, old.phone_key); "
    "INSERT INTO cases_participant_fts(rowid, name_key, email_key, phone_key) "
    "VALUES (new.id, new.name_key, new.email_key, new.phone_key); END",
    "INSERT INTO cases_participant_fts(cases_participant_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5("
    "reference, title, content='cases_case', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cases_case_fts_ai AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(rowid, reference, title) "
    "VALUES (new.id, new.reference, new.title); END",
    "CREATE TRIGGER cases_case_fts_ad AFTER DELETE ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, reference, title) "
    "VALUES ('delete', old.id, old.reference, old.title); END",
    "CREATE TRIGGER cases_case_fts_au AFTER UPDATE OF reference, title ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, reference, title) "
    "VALUES ('delete', old.id, old.reference, old.title); "
    "INSERT INTO cases_case_fts(rowid, reference, title) "
    "VALUES (new.id, new.reference, new.title); END",
    "INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS cases_participant_fts_ai",
    "DROP TRIGGER IF EXISTS cases_participant_fts_ad",
    "DROP TRIGGER IF EXISTS cases_participant_fts_au",
    "DROP TABLE IF EXISTS cases_participant_fts",
    "DROP TRIGGER IF EXISTS cases_case_fts_ai",
    "DROP TRIGGER IF EXISTS cases_case_fts_ad",
    "DROP TRIGGER IF EXISTS cases_case_fts_au",
    "DROP TABLE IF EXISTS cases_case_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The search filters with LIKE '%term%' on these columns (upper-cased where Django's
    # icontains does so); trigram GIN indexes answer that without reading every row.
    "CREATE INDEX IF NOT EXISTS participant_name_key_trgm ON cases_participant "
    "USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_email_key_trgm ON cases_participant "
    "USING gin (email_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_phone_key_trgm ON cases_participant "
    "USING gin (phone_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS case_reference_trgm ON cases_case "
    "USING gin (UPPER(reference) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS case_title_trgm ON cases_case "
    "USING gin (UPPER(title) gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS participant_name_key_trgm",
    "DROP INDEX IF EXISTS participant_email_key_trgm",
    "DROP INDEX IF EXISTS participant_phone_key_trgm",
    "DROP INDEX IF EXISTS case_reference_trgm",
    "DROP INDEX IF EXISTS case_title_trgm",
]


def fill_keys(apps: Any, schema_editor: Any) -> None:
    participant_model = apps.get_model("cases", "Participant")
    rows = participant_model.objects.using(schema_editor.connection.alias).order_by("pk")
    batch = []
    for person in rows.only("pk", "full_name", "email", "phone").iterator(chunk_size=2000):
        person.name_key = normalise_name(person.full_name)
        person.email_key = normalise_email(person.email)
        person.phone_key = normalise_phone(person.phone)
        batch.append(person)
        if len(batch) >= 1000:
            participant_model.objects.bulk_update(batch, ["name_key", "email_key", "phone_key"])
            batch = []
    if batch:
        participant_model.objects.bulk_update(batch, ["name_key", "email_key", "phone_key"])


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def search_index_create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def search_index_drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0001_initial'),
        ('organisations', '0004_merge_0003_party_api_tokens_0003_staff_invitations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='participant',
            name='email_key',
            field=models.CharField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name='participant',
            name='name_key',
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='participant',
            name='phone_key',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['organisation', 'name_key', 'date_of_birth'], name='participant_name_key_idx'),
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['organisation', 'email_key'], name='participant_email_key_idx'),
        ),
        migrations.AddIndex(
            model_name='participant',
            index=models.Index(fields=['organisation', 'phone_key'], name='participant_phone_key_idx'),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "stage", "kind"], name="case_org_stage_kind_idx"
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(search_index_create, search_index_drop),
    ]
