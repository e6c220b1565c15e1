"""Case search on the text index: surname, reference (exact and partial), email and phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from accord.cases import services
from accord.cases.models import Participant
from accord.cases.normalise import normalise_name, normalise_phone, search_digits
from accord.cases.selectors import CaseFilters, case_list

pytestmark = pytest.mark.django_db


def _carol(service: Any) -> Participant:
    return Participant.objects.get(case=service.cases["civil"], full_name="Carol Brown")


def _found(user: Any, q: str) -> list[str]:
    return sorted(c.reference for c in case_list(user=user, filters=CaseFilters(q=q)))


def test_normalising_names_and_phones():
    assert normalise_name("  Alice  O'Neil ") == "alice oneil"
    assert normalise_phone("+44 7700 900123") == "07700900123"
    assert normalise_phone("123") == ""
    assert search_digits("(0)7700-900") == "07700900"


def test_the_participant_services_keep_the_keys_in_step(service):
    person = services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="solicitor",
        full_name="Zoë  O'Hara",
        email=" Zoe@Law.Example ",
        phone="+44 (0)113 496 0000",
    )
    person.refresh_from_db()
    assert (person.name_key, person.email_key) == ("zoë ohara", "zoe@law.example")
    assert person.phone_key == "001134960000"  # digits kept as typed after +44 -> 0
    services.participant_update(
        actor=service.coordinator, participant=person, phone="0113 496 0001"
    )
    person.refresh_from_db()
    assert person.phone_key == "01134960001"
    assert _found(service.coordinator, "0113 496 0001") == [service.case.reference]
    assert _found(service.coordinator, "0113 496 0000") == []


@pytest.mark.parametrize(
    ("term", "which"),
    [
        ("Brown", "civil"),
        ("brow", "civil"),
        ("carol brown", "civil"),
        ("carol@", "civil"),
        ("Jones", "family"),
        ("bob@{slug}.example", "family"),
    ],
)
def test_staff_find_cases_by_surname_and_email(service, term, which):
    term = term.format(slug=service.organisation.slug)
    assert _found(service.coordinator, term) == [service.cases[which].reference]


def test_a_case_is_found_by_its_exact_or_partial_reference(service):
    reference = service.cases["civil"].reference
    assert _found(service.coordinator, reference) == [reference]
    assert _found(service.coordinator, reference.lower()) == [reference]
    number = reference.rsplit("-", 1)[1]
    assert reference in _found(service.coordinator, number)
    assert reference in _found(service.coordinator, reference[:-1])


def test_a_case_is_found_by_phone_however_it_is_written(service):
    services.participant_update(
        actor=service.coordinator, participant=_carol(service), phone="07700 900555"
    )
    civil = service.cases["civil"].reference
    assert _found(service.coordinator, "+44 7700 900555") == [civil]
    assert _found(service.coordinator, "07700-900") == [civil]
    assert _found(service.coordinator, "0770") == []  # too few digits to be a phone number


def test_people_are_searched_only_in_cases_the_user_may_open(service):
    # The mediator does not work on the civil case: Carol's name does not find it for them.
    assert _found(service.coordinator, "carol") == [service.cases["civil"].reference]
    assert service.cases["civil"].reference not in _found(service.mediator, "carol")


def test_another_service_is_never_searched(service, other_service):
    assert _found(other_service.coordinator, "Brown") == [other_service.cases["civil"].reference]


@pytest.mark.parametrize("term", ['"', "*", "OR", "NEAR(", "a:b", "-", "'); drop", "%", "_"])
def test_search_syntax_in_the_box_is_only_text(service, term):
    assert isinstance(_found(service.coordinator, term), list)


def test_removing_a_participant_takes_them_out_of_the_index(service):
    Participant.objects.filter(pk=_carol(service).pk).delete()
    assert _found(service.coordinator, "carol") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_the_fts5_triggers_survive_the_migrations():
    # A later migration that rebuilds cases_case or cases_participant on SQLite drops their
    # triggers; this fails then, and that migration must recreate them.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fts%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        f"cases_{table}_fts_{when}"
        for table in ("case", "participant")
        for when in ("ai", "ad", "au")
    }


@pytest.mark.parametrize("limit", [0, 2_000])
def test_many_matches_filter_in_the_database_with_the_same_answers_and_policy(
    service, other_service, monkeypatch, limit
):
    """A common term (more candidates than ID_LIMIT) is filtered in the database, one case at
    a time; it finds what the short path finds, under the same policy."""
    from accord.cases import search

    monkeypatch.setattr(search, "ID_LIMIT", limit)
    for user, term in (
        (service.coordinator, "carol"),
        (service.coordinator, "Jones"),
        (service.coordinator, service.cases["civil"].reference),
        (other_service.coordinator, "Brown"),
    ):
        assert _found(user, term), term
    assert _found(service.coordinator, "carol") == [service.cases["civil"].reference]
    assert service.cases["civil"].reference not in _found(service.mediator, "carol")
    assert _found(other_service.coordinator, "Brown") == [other_service.cases["civil"].reference]


def test_a_whole_email_or_phone_number_finds_exact_holders_first_then_longer_ones(service):
    civil = service.cases["civil"].reference
    family = service.cases["family"].reference
    services.participant_update(
        actor=service.coordinator,
        participant=_carol(service),
        email="carol@law.example",
        phone="07700 900555",
    )
    alice = Participant.objects.get(case=service.cases["family"], full_name="Alice Smith")
    services.participant_update(
        actor=service.coordinator, participant=alice, email="carol@law.example.org"
    )
    exactly = _found(service.coordinator, "Carol@Law.Example")
    if connection.vendor == "postgresql":
        # Exactly held: only its holder, by the btree index (not the longer address).
        assert exactly == [civil]
    else:
        # SQLite's FTS5 answers a whole address as a phrase prefix, quickly, as it always did.
        assert exactly == sorted([civil, family])
    assert _found(service.coordinator, "07700 900555") == [civil]
    # Held by nobody exactly: searched as part of longer addresses.
    assert _found(service.coordinator, "carol@law.exam") == sorted([civil, family])


@pytest.mark.parametrize("in_python", [0, 10_000])
def test_the_policy_in_the_database_or_in_python_finds_the_same_cases(
    service, other_service, monkeypatch, in_python
):
    """Hundreds of found cases are filtered by the policy in one query instead of one check per
    case in Python; both ways find the same cases for every kind of user."""
    from accord.cases import search

    monkeypatch.setattr(search, "POLICY_IN_PYTHON", in_python)
    civil = service.cases["civil"].reference
    assert _found(service.coordinator, "carol") == [civil]
    assert civil not in _found(service.mediator, "carol")
    assert _found(service.coordinator, civil) == [civil]
    assert civil not in _found(other_service.coordinator, "carol")
    # A party finds their own case by its title, never another's by a person on it.
    alice = service.parties["alice"]
    assert _found(alice, "carol") == []
    assert _found(alice, service.case.title) == [service.case.reference]


def test_a_whole_reference_finds_that_case_and_not_longer_ones(service):
    civil = service.cases["civil"]
    assert _found(service.coordinator, civil.reference.lower()) == [civil.reference]


def test_a_search_counts_up_to_its_own_cap_and_asks_for_a_narrower_search(
    client, service, monkeypatch
):
    from accord.cases import paging

    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", 1)
    client.force_login(service.coordinator)
    everything = client.get("/cases/").content.decode()
    assert "More than" not in everything
    prefix = service.case.reference.split("-")[0]  # part of every reference of the service
    searched = client.get(f"/cases/?q={prefix}").content.decode()
    assert "More than 1 cases" in searched
    assert "A search counts up to 1 cases" in searched


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_names_keep_a_large_statistics_sample_for_the_planner():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'cases_participant'::regclass AND attname = 'name_key'"
        )
        assert cursor.fetchone()[0] == 1000


def _add_person(service: Any, case_key: str, name: str) -> None:
    services.participant_add(
        actor=service.coordinator, case=service.cases[case_key], role="supporter", full_name=name
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's btree name probes")
def test_a_name_or_surname_many_people_start_with_is_known_from_the_btree_probes(
    service, other_service, monkeypatch
):
    """`many_named` answers True only when more than ID_LIMIT people of the searcher's services
    have a name or a last word starting with the term; anything else proves nothing."""
    from accord.cases import search

    monkeypatch.setattr(search, "ID_LIMIT", 1)
    _add_person(service, "civil", "Dan Brownlow")  # with Carol Brown: two surnames "brown..."
    _add_person(service, "family", "Carolyn Price")  # with Carol Brown: two names "carol..."
    _add_person(other_service, "civil", "Eve Brownhill")
    mine = [service.organisation.pk]
    assert search.many_named("Brown", mine)
    assert search.many_named("carol", mine)
    # Inside a word (both contain "row"), one person only, or another service: not proven.
    assert not search.many_named("row", mine)
    assert not search.many_named("Brownlow", mine)
    assert not search.many_named("Brownh", [*mine, other_service.organisation.pk])
    # LIKE's wildcards in the term are only text.
    assert not search.many_named("b%", mine)
    assert not search.many_named("___", mine)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's btree name probes")
def test_a_common_surname_skips_the_first_look_and_finds_the_same_cases(service, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from accord.cases import search

    _add_person(service, "civil", "Dan Brownlow")
    _add_person(service, "family", "Erin Brown")
    expected = sorted([service.cases["civil"].reference, service.cases["family"].reference])
    monkeypatch.setattr(search, "ID_LIMIT", 1)
    with CaptureQueriesContext(connection) as probed:
        assert _found(service.coordinator, "brown") == expected
    first_looks = [q["sql"] for q in probed if 'SELECT "cases_participant"."case_id"' in q["sql"]]
    assert first_looks == []
    # Without the probe, the first look runs, finds too many and ends in the same place.
    monkeypatch.setattr(search, "many_named", lambda term, organisation_ids: False)
    with CaptureQueriesContext(connection) as looked:
        assert _found(service.coordinator, "brown") == expected
    assert any('SELECT "cases_participant"."case_id"' in q["sql"] for q in looked)
    assert service.cases["civil"].reference not in _found(service.mediator, "brown")
