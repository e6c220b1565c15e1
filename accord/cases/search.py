"""Case search on a real text index: FTS5 on SQLite, pg_trgm GIN indexes on PostgreSQL.

What one search box finds (docs/search.md): a case by its exact reference (its own unique
index), by part of its reference or title, and, for staff who may open the workspace, by a
participant's name, email or phone number. The indexes are created by migration
cases/0002_search_keys; the normalised columns they hold are written by the participant
services (`Participant.set_keys`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from accord.cases.models import Case, Participant
from accord.cases.normalise import normalise_email, normalise_name, search_digits

#: Fewer digits than this are not searched as a phone number (they would match too much).
MIN_PHONE_DIGITS = 5
#: Beyond this many candidates the search filters in the database instead of by primary key
#: (the first look stops at this many rows, so it stays cheap when a term is common; and it is
#: well under SQLite's limit of 32,766 bound parameters).
ID_LIMIT = 2_000
#: Up to this many cases found, the policy is applied to each in Python (cheapest for a few, and
#: kind to SQLite's planner); more are filtered by the policy in the database.
POLICY_IN_PYTHON = 200
#: Fewer characters than this cannot use a trigram index on PostgreSQL (matched whole instead).
MIN_TRIGRAM = 3
#: A search term that is a whole email address, or a phone number this long, is looked up exactly
#: first (PostgreSQL; SQLite's FTS5 answers both quickly as they are).
WHOLE_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WHOLE_PHONE_DIGITS = 10

#: PostgreSQL: do more than `ID_LIMIT` people of these services have a name, or a surname (the
#: name's last word), starting with the term? Each reads at most `ID_LIMIT + 1` entries of a
#: btree index (cases/0006); fixed text, the term a bound parameter.
NAME_PREFIX_PROBES = (
    "SELECT count(*) FROM (SELECT 1 FROM cases_participant WHERE organisation_id = ANY(%s) "
    "AND name_key LIKE %s LIMIT %s) AS found",
    "SELECT count(*) FROM (SELECT 1 FROM cases_participant WHERE organisation_id = ANY(%s) "
    "AND reverse(split_part(reverse(name_key), ' ', 1)) LIKE %s LIMIT %s) AS found",
)


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
    """Cases whose reference is exactly the term, or whose reference or title contains it.

    A whole reference finds that case alone, through its own index (`case_reference_idx`): a
    trigram search for it reads the posting lists of trigrams every reference shares ("202",
    "-20"), tens of milliseconds at a million cases, to find what the exact lookup already has.
    """
    term = term.strip()
    exact = Q(reference=term.upper())
    if WHOLE_EMAIL.fullmatch(normalise_email(term)):
        # An email address is never part of a reference, and a title names people: reading
        # both trigram indexes for it cost 20 ms at a million cases and found nothing.
        return Q(pk__in=[])
    if Case.objects.filter(exact).exists():
        return exact
    words = _words(term)
    if not words:
        return exact
    if connection.vendor == "sqlite":
        sql, params = _fts_ids("cases_case_fts", _fts_phrase(words))
        return exact | Q(pk__in=_raw_ids(sql, params))
    return exact | Q(reference__icontains=term) | Q(title__icontains=term)


def participants_matching(
    term: str, organisation_ids: Collection[int] | None = None
) -> QuerySet[Participant]:
    """The participants whose name, email or phone number matches the term.

    `organisation_ids`: only people of these services (the services the searcher works for).
    Besides being the only people a search may find, it lets a whole email address or phone
    number be looked up on the btree indexes, which start with the service; without it
    PostgreSQL answers an equality from the trigram index, 50 to 120 ms at a million people.
    """
    term = term.strip()
    words = _words(term)
    digits = search_digits(term)
    is_phone = len(digits) >= MIN_PHONE_DIGITS and not re.search(r"[^\d\s()+.-]", term)
    people = Participant.objects.all()
    if organisation_ids is not None:
        people = people.filter(organisation_id__in=sorted(organisation_ids))
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


def many_named(term: str, organisation_ids: Collection[int]) -> bool:
    """Whether more than `ID_LIMIT` people of these services have a name or a surname that
    starts with the term (PostgreSQL; always False on SQLite, whose FTS5 index answers names
    quickly however many hold them).

    True proves the search has more than `ID_LIMIT` people to look at, since a name starting
    with the term also contains it: the search can go straight to filtering in the database.
    False proves nothing, and the search looks as before. A common surname is answered by
    reading `ID_LIMIT + 1` entries of a btree index (a millisecond or two), where the trigram
    index first builds a bitmap of everyone who matches (45,000 people, 12 to 15 ms, at a
    million cases).
    """
    if connection.vendor != "postgresql" or not organisation_ids:
        return False
    name = normalise_name(term)
    if len(name) < MIN_TRIGRAM or not re.search(r"[^\W\d_]", name):
        return False
    pattern = re.sub(r"([\\%_])", r"\\\1", name) + "%"
    with connection.cursor() as cursor:
        for sql in NAME_PREFIX_PROBES:
            cursor.execute(sql, [sorted(organisation_ids), pattern, ID_LIMIT + 1])
            row = cursor.fetchone()
            if row is not None and row[0] > ID_LIMIT:
                return True
    return False


def _raw_ids(sql: str, params: list[Any]) -> RawSQL:
    # Fixed SQL from FTS_SQL; the user's words are a bound parameter, quoted as one phrase.
    return RawSQL(sql, params)  # noqa: S611


def case_search(*, term: str, user: Any) -> QuerySet[Case]:
    """The cases the term finds among those the user may see (`view`).

    Cases are found by reference or title, and by a participant's name, email or phone only
    where the user may open the workspace (`view_workspace`, which needs a role in the case's
    service: so only the people of the user's own services are searched).

    Each text index answers on its own and the matching cases are then picked by primary key,
    with the policy applied to that short list by `policy.can` (which mirrors `case_filter`
    exactly). Putting the lookups and the service filter into one query let SQLite, which
    keeps no statistics, walk every case of the service through the service's index and test
    each against the lookups, so a search cost as much as the service was large. A search
    that finds more than `ID_LIMIT` people or cases falls back to filtering in the database;
    the people are looked at first, so a common surname goes there without also reading every
    case whose title holds it.
    """
    from accord.cases import policy

    services = policy.staff_organisation_ids(user)
    people = participants_matching(term, services)
    if "@" not in term and many_named(term, services):
        return _search_in_database(term, user, people)
    # The matching rows' case ids, stopping at the limit: no DISTINCT, which would read every
    # matching participant first (tens of thousands for a common surname at a million cases).
    people_rows = (
        list(people.order_by().values_list("case_id", flat=True)[: ID_LIMIT + 1])
        if services
        else []
    )
    if len(people_rows) > ID_LIMIT:
        return _search_in_database(term, user, people)
    by_case = set(
        Case.objects.filter(case_ids_matching_case(term))
        .order_by()
        .values_list("pk", flat=True)[: ID_LIMIT + 1]
    )
    if len(by_case) > ID_LIMIT:
        return _search_in_database(term, user, people)
    by_people = set(people_rows)
    ids = sorted(by_case | by_people)
    if len(ids) > POLICY_IN_PYTHON:
        # Hundreds of cases (an address a whole family shares): the policy as a filter on the
        # listed ids, one query, instead of a check per case in Python.
        listed = Case.objects.filter(pk__any=ids).filter(
            Q(pk__any=sorted(by_case)) | policy.case_filter(user, "view_workspace")
        )
        return policy.restrict(listed, user, "view")
    policy.prime_portal_cases(user, ids)
    candidates = Case.objects.filter(pk__any=ids).only(
        "pk", "organisation_id", "lead_mediator_id", "co_mediator_id", "supervisor_id"
    )
    allowed = [
        case.pk
        for case in candidates
        if policy.can(user, "view", case)
        and (case.pk in by_case or policy.can(user, "view_workspace", case))
    ]
    return Case.objects.filter(pk__any=allowed)


def _search_in_database(term: str, user: Any, people: QuerySet[Participant]) -> QuerySet[Case]:
    """Many matches: filter in the database, asking of each case in the list's own order
    whether one of its people matches, so a page stops once it is full. A scalar subquery,
    not EXISTS or IN: PostgreSQL turns those into one hash of every matching person (tens of
    thousands of rows for a common surname) before the first case is looked at."""
    from accord.cases import policy

    people_in = policy.case_filter(user, "view_workspace")
    first_match = Subquery(people.filter(case_id=OuterRef("pk")).order_by().values("pk")[:1])
    match = case_ids_matching_case(term) | (Q(first_match__isnull=False) & people_in)
    found = Case.objects.alias(first_match=first_match).filter(match)
    return policy.restrict(found, user, "view")
