"""Keyset (cursor) paging of case lists, and a capped count instead of a full COUNT.

Case lists are ordered newest first (`-opened_at, -id`, the model's ordering, which the index
case_org_opened_idx serves). A cursor names the last (or first) case of a page, signed so that
a changed cursor is refused instead of silently showing something else. Fetching the page after
a cursor costs the same at the millionth case as at the first, unlike OFFSET, which reads and
throws away every row before the page; and the count stops at `COUNT_CAP`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

from accord.cases.models import Case

#: Counting stops here: "more than 1,000 cases" is as useful as the exact figure, and cheap.
COUNT_CAP = 1000
#: A search counts no further than this. Someone searching wants one case, or a handful:
#: past fifty the list says "more than 50 cases match" and asks for a narrower search.
#: A search's matches are not in any index's order, so counting them means testing case after
#: case; for a common surname with a stage at a million cases, counting to 100 tested some
#: 20,000 cases (about 17 ms), to 50 half as many (about 9 ms); to 1,000 it was 50 to 150 ms.
SEARCH_COUNT_CAP = 50


def count_cap(*, searching: bool) -> int:
    """How far a list counts: less far for a search (see SEARCH_COUNT_CAP)."""
    return SEARCH_COUNT_CAP if searching else COUNT_CAP


_SALT = "accord.cases.paging"


class BadCursor(ValueError):
    """A cursor that was not made by Accord, was changed, or is from another list."""


@dataclass(frozen=True)
class Count:
    """How many cases match, up to the cap."""

    value: int
    capped: bool


def capped_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> Count:
    """The number of rows, counting no further than `cap` (then `capped` is true)."""
    found = qs.order_by()[: cap + 1].count()
    return Count(min(found, cap), found > cap)


def first_ids(qs: QuerySet[Case], cap: int = COUNT_CAP) -> tuple[list[int], Count]:
    """The ids of the list's first `cap` cases in its order, and the capped count they give.

    One query answers both the count and which cases the numbered pages hold (they lie within
    the cap): counting and then fetching a page walked the same cases twice, which for a
    search filtered case by case (a common surname at a million cases) cost a quarter as much
    again as the count.
    """
    ids = list(qs.order_by("-opened_at", "-id").values_list("pk", flat=True)[: cap + 1])
    return ids[:cap], Count(min(len(ids), cap), len(ids) > cap)


def cursor_for(case: Case, *, scope: str = "") -> str:
    """A signed cursor naming this case's place in the list (`scope`: which list it is for)."""
    return signing.dumps([case.opened_at.isoformat(), case.pk, scope], salt=_SALT, compress=True)


def cursor_read(token: str, *, scope: str = "") -> tuple[dt.datetime, int]:
    """The place a cursor names; BadCursor if it was changed or belongs to another list."""
    try:
        opened, pk, made_for = signing.loads(token, salt=_SALT)
        at = dt.datetime.fromisoformat(opened)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadCursor("The cursor was not recognised: start again from the first page.") from exc
    if made_for != scope or not isinstance(pk, int) or at.tzinfo is None:
        raise BadCursor("The cursor belongs to another list: start again from the first page.")
    return at, pk


@dataclass(frozen=True)
class KeysetPage:
    """One page of cases, and whether there are more before and after it."""

    items: list[Case]
    has_previous: bool
    has_next: bool


def _after(at: dt.datetime, pk: int) -> Q:
    # Later in the list = opened earlier (or at the same moment with a smaller id). The plain
    # range on opened_at lets the index do the work; the OR settles ties.
    return Q(opened_at__lte=at) & (Q(opened_at__lt=at) | Q(pk__lt=pk))


def _before(at: dt.datetime, pk: int) -> Q:
    return Q(opened_at__gte=at) & (Q(opened_at__gt=at) | Q(pk__gt=pk))


def page_after(qs: QuerySet[Case], cursor: tuple[dt.datetime, int] | None, size: int) -> KeysetPage:
    """The `size` cases after the cursor (the first page without one), newest first."""
    rows = qs.order_by("-opened_at", "-id")
    if cursor is not None:
        rows = rows.filter(_after(*cursor))
    items = list(rows[: size + 1])
    return KeysetPage(items[:size], cursor is not None, len(items) > size)


def page_before(
    qs: QuerySet[Case], cursor: tuple[dt.datetime, int] | None, size: int
) -> KeysetPage:
    """The `size` cases before the cursor (the last page without one), newest first."""
    rows = qs.order_by("opened_at", "id")
    if cursor is not None:
        rows = rows.filter(_before(*cursor))
    items = list(rows[: size + 1])
    return KeysetPage(list(reversed(items[:size])), len(items) > size, cursor is not None)
