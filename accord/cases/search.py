"""Case search on a real text index: FTS5 on SQLite, pg_trgm GIN indexes on PostgreSQL.

What one search box finds (docs/search.md): a case by its exact reference (its own unique
index), by part of its reference or title, and, for staff who may open the workspace, by a
participant's name, email or phone number. The indexes are created by migration
cases/0002_search_keys; the normalised columns they hold are written by the participant
services (`Participant.set_keys`).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from accord.cases.models import Case, Participant
from accord.cases.normalise import normalise_email, normalise_name, search_digits

#: Fewer digits than this are not searched as a phone number (they would match too much).
MIN_PHONE_DIGITS = 5
#: Fewer characters than this cannot use a trigram index on PostgreSQL (matched whole instead).
MIN_TRIGRAM = 3


def _words(term: str) -> list[str]:
    return re.findall(r"\w+", term.casefold())


def _fts_phrase(words: list[str]) -> str:
    """An FTS5 query for the words in order, the last one as a prefix; safe from injection."""
    return '"' + " ".join(words) + '"*'


#: The FTS5 lookups, fixed text; only the MATCH expression is a parameter.
FTS_SQL = {
    "cases_case_fts": "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s",
    "cases_participant_fts": (
        "SELECT rowid FROM cases_participant_fts WHERE cases_participant_fts MATCH %s"
    ),
}


def _fts_ids(table: str, query: str) -> tuple[str, list[Any]]:
    return FTS_SQL[table], [query]


def case_ids_matching_case(term: str) -> Q:
    """Cases whose reference is exactly the term, or whose reference or title contains it."""
    term = term.strip()
    exact = Q(reference=term.upper())
    words = _words(term)
    if not words:
        return exact
    if connection.vendor == "sqlite":
        sql, params = _fts_ids("cases_case_fts", _fts_phrase(words))
        return exact | Q(pk__in=_raw_ids(sql, params))
    return exact | Q(reference__icontains=term) | Q(title__icontains=term)


def participants_matching(term: str) -> QuerySet[Participant]:
    """The participants whose name, email or phone number matches the term."""
    term = term.strip()
    words = _words(term)
    digits = search_digits(term)
    is_phone = len(digits) >= MIN_PHONE_DIGITS and not re.search(r"[^\d\s()+.-]", term)
    people = Participant.objects.all()
    if connection.vendor == "sqlite":
        queries = []
        if words:
            columns = "{name_key email_key}" if "@" in term else "name_key"
            queries.append(f"{columns} : {_fts_phrase(words)}")
        if is_phone:
            queries.append(f'phone_key : "{digits}"*')
        if not queries:
            return people.none()
        sql, params = _fts_ids("cases_participant_fts", " OR ".join(f"({q})" for q in queries))
        return people.filter(pk__in=_raw_ids(sql, params))
    match = Q()
    name = normalise_name(term)
    if name:
        match |= Q(name_key__contains=name)
    if "@" in term:
        # An email address, or part of one with its @: plain words search names only, so
        # a surname does not scan every address too.
        match |= Q(email_key__contains=normalise_email(term))
    if is_phone:
        match |= Q(phone_key__contains=digits)
    if not match:
        return people.none()
    return people.filter(match)


def _raw_ids(sql: str, params: list[Any]) -> RawSQL:
    # Fixed SQL from FTS_SQL; the user's words are a bound parameter, quoted as one phrase.
    return RawSQL(sql, params)  # noqa: S611


def case_search(qs: QuerySet[Case], *, term: str, people_in: Q | None) -> QuerySet[Case]:
    """Narrow `qs` to the cases the term finds; people are searched only in cases `people_in`.

    `people_in` is a filter on cases (the policy's `case_filter`), applied to the case rows
    rather than joined into the participant search, so the text index answers that search alone.
    """
    match = case_ids_matching_case(term)
    if people_in is not None:
        match |= Q(pk__in=participants_matching(term).values("case_id")) & people_in
    return qs.filter(match)
