"""Render a document first, then store it in a short write transaction.

A WeasyPrint render of a long document takes a second or more. On SQLite a write transaction
holds the database's only write lock from its first statement (``BEGIN IMMEDIATE``), so a render
inside one makes every other writer in the service wait for it. Services that produce a
document therefore follow one pattern, kept here so that each does it the same way:

1. ``look(lock=False)``: read and check what the document is made from, outside any
   transaction, refusing exactly as the service would (permission, state, input);
2. ``render(seen)``: render it (no writes);
3. in a short transaction, ``look(lock=True)`` again with the rows locked, and compare the
   two looks' ``fingerprint`` (what the document says). Unchanged: ``store(now, rendered)``.
   Changed meanwhile (someone edited the outcome, a party signed): the render is discarded and
   the whole thing runs again, up to ``RENDER_ATTEMPTS`` times, then the service refuses with
   nothing saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from accord.core.errors import ValidationFailed

RENDER_ATTEMPTS = 3

Seen = TypeVar("Seen")
Result = TypeVar("Result")


class _Stale(Exception):
    """What the document is made from changed while it was rendered."""


def fingerprint(context: Any) -> str:
    """What a document would say, as text to compare (dates and the like as strings)."""
    return json.dumps(context, sort_keys=True, default=str)


def render_then_store(
    *,
    look: Callable[[bool], Seen],
    render: Callable[[Seen], Any],
    store: Callable[[Seen, Any], Result],
    says: Callable[[Seen], Any],
    refusal: str,
) -> Result:
    """Run the pattern above; `says(seen)` is what the document says (compared as JSON)."""
    for _ in range(RENDER_ATTEMPTS):
        seen = look(False)
        rendered = render(seen)
        try:
            with transaction.atomic():
                now = look(True)
                if fingerprint(says(now)) != fingerprint(says(seen)):
                    raise _Stale
                return store(now, rendered)
        except _Stale:
            continue
    raise ValidationFailed(refusal)
