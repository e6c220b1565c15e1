"""Plain multi-row INSERTs for the few hot paths that write thousands of rows at once.

`QuerySet.bulk_create` prepares every value of every object through the field machinery and the
SQL compiler; for the deadline worker's backlog (an audit event and a reminder or two per
deadline) that preparation cost more than the database work. `insert_rows` takes plain column
values, adapts only the columns that need it (date-times and JSON) once per value with the
backend's own adapters, and sends one parameterised statement per batch with `executemany`.

It is for services that have already validated what they insert; it skips `save()`, signals and
model defaults, so every column without a database default must be given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import models, transaction


def _adapter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
    batch_size: int = 500,
) -> int:
    """Insert `rows` (tuples in the order of `columns`, attribute names such as `case_id`).

    With `ignore_conflicts`, a row that breaks a unique constraint is skipped (ON CONFLICT DO
    NOTHING, which SQLite and PostgreSQL both understand). Returns how many rows were sent.
    """
    connection = transaction.get_connection()
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        field = model._meta.get_field(name)  # knows `case_id` as well as `case`
        if not isinstance(field, models.Field) or field.attname != name:
            raise ValueError(f"{model.__name__} has no column attribute {name!r}.")
        fields.append(field)
    quote = connection.ops.quote_name
    # Only quoted model metadata and placeholders go into the text; values are parameters.
    table = quote(model._meta.db_table)
    names = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}){conflict}"  # noqa: S608
    adapters = [(index, _adapter(field, connection)) for index, field in enumerate(fields)]
    adapt = [(index, adapter) for index, adapter in adapters if adapter is not None]
    sent = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapt:
                values = list(row)
                for index, adapter in adapt:
                    if values[index] is not None:
                        values[index] = adapter(values[index])
                row = values
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                sent += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            sent += len(batch)
    return sent
