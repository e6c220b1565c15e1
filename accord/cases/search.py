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
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accord.cases.models import Case, Participant
from accord.cases.normalise import normalise_email, normalise_name, search_digits

#: Fewer digits than this are not searched as a phone number (they would match too much).
MIN_PHONE_DIGITS = 5
#: A search matching more cases than this filters in the database rather than by listed ids
#: (well under SQLite's limit of 32,766 bound parameters).
#: Beyond this many candidates the search filters in the database instead of by primary key
#: (the first look stops at this many rows, so it stays cheap when a term is common).
ID_LIMIT = 2_000
#: Fewer characters than this cannot use a trigram index on PostgreSQL (matched whole instead).
MIN_TRIGRAM = 3
#: A search term that is a whole email address, or a phone number this long, is looked up exactly
#: first (PostgreSQL; SQLite's FTS5 answers both quickly as they are).
WHOLE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WHOLE_PHONE_DIGITS = 10


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
    # A whole email address or phone number is looked up by its own btree index first: a
    # trigram search for it reads the posting lists of trigrams nearly everyone shares ("077",
    # ".example"), which costs a hundred milliseconds and more at a million people. Only if
    # nobody has it exactly is it searched as part of a longer address or number.
    exact = Q()
    if WHOLE_EMAIL.fullmatch(normalise_email(term)):
        exact |= Q(email_key=normalise_email(term))
    if is_phone and len(digits) >= WHOLE_PHONE_DIGITS:
        exact |= Q(phone_key=digits)
    if exact and people.filter(exact).exists():
        return people.filter(exact)
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


def case_search(*, term: str, user: Any) -> QuerySet[Case]:
    """The cases the term finds among those the user may see (`view`).

    Cases are found by reference or title, and by a participant's name, email or phone only
    where the user may open the workspace (`view_workspace`).

    Each text index answers on its own and the matching cases are then picked by primary key,
    with the policy applied to that short list by `policy.can` (which mirrors `case_filter`
    exactly). Putting the lookups and the service filter into one query let SQLite, which
    keeps no statistics, walk every case of the service through the service's index and test
    each against the lookups, so a search cost as much as the service was large. A search
    that finds more than `ID_LIMIT` cases falls back to filtering in the database.
    """
    from accord.cases import policy

    by_case = set(
        Case.objects.filter(case_ids_matching_case(term))
        .order_by()
        .values_list("pk", flat=True)[: ID_LIMIT + 1]
    )
    # The matching rows' case ids, stopping at the limit: no DISTINCT, which would read every
    # matching participant first (tens of thousands for a common surname at a million cases).
    people_rows = list(
        participants_matching(term).order_by().values_list("case_id", flat=True)[: ID_LIMIT + 1]
    )
    by_people = set(people_rows)
    if len(by_case) > ID_LIMIT or len(people_rows) > ID_LIMIT:
        # Many matches: filter in the database, asking of each case in the list's own order
        # whether one of its people matches, so a page stops once it is full. A scalar subquery,
        # not EXISTS or IN: PostgreSQL turns those into one hash of every matching person
        # (tens of thousands of rows for a common surname) before the first case is looked at.
        people_in = policy.case_filter(user, "view_workspace")
        first_match = Subquery(
            participants_matching(term).filter(case_id=OuterRef("pk")).order_by().values("pk")[:1]
        )
        match = case_ids_matching_case(term) | (Q(first_match__isnull=False) & people_in)
        found = Case.objects.alias(first_match=first_match).filter(match)
        return policy.restrict(found, user, "view")
    ids = sorted(by_case | by_people)
    policy.prime_portal_cases(user, ids)
    candidates = Case.objects.filter(pk__in=ids).only(
        "pk", "organisation_id", "lead_mediator_id", "co_mediator_id", "supervisor_id"
    )
    allowed = [
        case.pk
        for case in candidates
        if policy.can(user, "view", case)
        and (case.pk in by_case or policy.can(user, "view_workspace", case))
    ]
    return Case.objects.filter(pk__in=allowed)
