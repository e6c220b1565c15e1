"""`field__any`: the same rows as `field__in`, with one array parameter on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.cases.models import Case, Participant

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds(service):
    ids = sorted(Case.objects.values_list("pk", flat=True))
    for wanted in ([], ids[:1], ids, [*ids, 10**12], [ids[0], ids[0]]):
        expected = sorted(Case.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        assert sorted(Case.objects.filter(pk__any=wanted).values_list("pk", flat=True)) == expected
        assert Case.objects.exclude(pk__any=wanted).count() == len(ids) - len(expected)
    people = dict(Participant.objects.values_list("pk", "case_id"))
    chosen = sorted(people)[::2]
    found = Participant.objects.filter(pk__any=chosen).values_list("pk", flat=True)
    assert sorted(found) == chosen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL arrays")
def test_on_postgresql_a_thousand_ids_are_one_parameter(service):
    with CaptureQueriesContext(connection) as queries:
        list(Case.objects.filter(pk__any=list(range(1, 1001))))
    assert "= ANY(" in queries[0]["sql"] and "IN (" not in queries[0]["sql"]
