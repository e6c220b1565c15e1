"""PostgreSQL: btree indexes on the start of a participant's name and of its last word.

They answer one question cheaply for the search (`accord.cases.search.many_named`): do more than
`ID_LIMIT` people of these services have a name, or a surname, starting with the term? Reading
at most `ID_LIMIT + 1` entries of a btree costs a millisecond or two; the trigram index can only
answer it by building a bitmap of every match first (45,000 people, 12 to 15 ms, for a common
surname at a million cases). `text_pattern_ops`, so that `LIKE 'okafor%'` can use them whatever
the database's collation. Built CONCURRENTLY, so a live service keeps taking writes while they
build. Nothing to do on SQLite, whose FTS5 index answers names already.
"""

from django.db import migrations

INDEXES = {
    "participant_name_prefix_idx": "(organisation_id, name_key text_pattern_ops)",
    # The last word: reverse, split at the first space, reverse back (split_part's negative
    # field needs PostgreSQL 14; this works on every supported version). INCLUDE name_key so
    # the probe is an index-only scan: PostgreSQL reads the heap for an expression index unless
    # the columns it is computed from are in the index too (0.8 ms instead of 4.6 for 2,001).
    "participant_surname_prefix_idx": (
        "(organisation_id, (reverse(split_part(reverse(name_key), ' ', 1))) text_pattern_ops) "
        "INCLUDE (name_key)"
    ),
}


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON cases_participant {columns}"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0005_name_key_statistics")]

    operations = [migrations.RunPython(_create, _drop)]
