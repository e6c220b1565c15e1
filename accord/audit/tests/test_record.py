"""audit_record: what it stores, what it refuses, and that stored events verify on this database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connections, transaction

from accord.audit.chain import GENESIS_HASH
from accord.audit.models import AuditChainHead, AuditEvent
from accord.audit.services import audit_record
from accord.audit.verification import chain_verify
from accord.core.request_context import request_id_var
from accord.organisations.services import organisation_create

TRICKY_DETAILS = {
    "z_last": 1,
    "a_first": {"y": [3, 2, 1], "x": "ordered keys"},
    "float": 0.1,
    "big_float": 1e20,
    "tiny_float": 1.5e-7,
    "negative_zero": -0.0,
    "not_a_number": float("nan"),
    "big_int": 2**70,
    "money": Decimal("1234.56"),
    "unicode": "Zo\u00eb\u2019s caf\u00e9 \u2013 \U0001f600 \u2615 \u65e5\u672c",
    "nul": "before\x00after",
    "surrogate": "x\udcffy",
    "empty": {},
    "list_of_mixed": [1, "two", 3.25, None, True],
    "date": dt.date(2026, 11, 21),
}


@pytest.fixture
def organisation(db):
    return organisation_create(actor=None, name="Record Test", slug="record-test")


def record(organisation, **overrides):
    kwargs = {
        "organisation_id": organisation.pk,
        "actor": None,
        "action": "test.recorded",
        "target": organisation,
    }
    kwargs.update(overrides)
    with transaction.atomic():
        return audit_record(**kwargs)


def test_events_are_numbered_and_linked_from_the_genesis_hash(organisation):
    first = AuditEvent.objects.get(organisation=organisation, sequence=1)
    second = record(organisation)
    assert first.previous_hash == GENESIS_HASH
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    head = AuditChainHead.objects.get(organisation=organisation)
    assert (head.last_sequence, head.last_hash) == (2, second.hash)


def test_each_organisation_has_its_own_chain(organisation):
    other = organisation_create(actor=None, name="Another", slug="another")
    record(organisation)
    assert AuditEvent.objects.get(organisation=other).sequence == 1
    assert AuditEvent.objects.filter(organisation=organisation).count() == 2


def test_tricky_details_round_trip_through_the_database_unchanged(organisation):
    event = record(organisation, details=TRICKY_DETAILS)
    stored = AuditEvent.objects.filter(pk=event.pk).values_list("details", flat=True).get()
    assert stored == event.details
    assert stored["money"] == "1234.56"
    assert stored["big_float"] == 10**20
    assert stored["nul"] == "before\ufffdafter"
    assert chain_verify(organisation_id=organisation.pk).problem is None


def test_microseconds_of_the_moment_survive_the_database(organisation, monkeypatch):
    moment = dt.datetime(2026, 11, 21, 23, 59, 59, 999999, tzinfo=dt.UTC)
    monkeypatch.setattr("accord.audit.services.timezone.now", lambda: moment)
    event = record(organisation)
    assert AuditEvent.objects.get(pk=event.pk).occurred_at == moment
    assert chain_verify(organisation_id=organisation.pk).problem is None


def test_labels_are_cut_to_their_columns_and_cleaned(organisation):
    event = record(organisation, actor_label="A" * 300 + "\x00")
    assert event.actor_label == "A" * 200
    assert chain_verify(organisation_id=organisation.pk).problem is None


def test_the_request_id_is_recorded(organisation):
    token = request_id_var.set("req-12345678")
    try:
        event = record(organisation)
    finally:
        request_id_var.reset(token)
    assert AuditEvent.objects.get(pk=event.pk).request_id == "req-12345678"


def test_recording_outside_a_transaction_is_refused(organisation, monkeypatch):
    # Pretend the test's own transaction is not there (a transactional test would do, but
    # would make the database flush and re-create content types for later tests).
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(
            organisation_id=organisation.pk, actor=None, action="test.x", target=organisation
        )
    monkeypatch.undo()
    assert AuditEvent.objects.filter(organisation=organisation).count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"visibility": "public"}, "visibility"),
        ({"action": ""}, "action"),
        ({"action": "has space"}, "action"),
        ({"action": "x" * 81}, "action"),
    ],
)
def test_malformed_events_are_refused_and_nothing_is_appended(organisation, overrides, message):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=message):
        record(organisation, **overrides)
    assert AuditEvent.objects.count() == before
    assert AuditChainHead.objects.get(organisation=organisation).last_sequence == 1


def test_an_unsaved_target_is_refused(organisation):
    from accord.organisations.models import Organisation

    with pytest.raises(ValueError, match="saved target"):
        record(organisation, target=Organisation(name="Unsaved"))


def test_a_rolled_back_service_leaves_no_event_and_no_gap(organisation):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(
            organisation_id=organisation.pk, actor=None, action="test.x", target=organisation
        )
        _ = 1 / 0
    event = record(organisation)
    assert event.sequence == 2
    assert chain_verify(organisation_id=organisation.pk).problem is None


def test_the_head_is_created_on_first_use(db):
    from accord.organisations.models import Organisation

    organisation = Organisation.objects.create(name="No head yet", slug="no-head")
    assert not AuditChainHead.objects.filter(organisation=organisation).exists()
    event = record(organisation)
    assert event.sequence == 1
    assert AuditChainHead.objects.get(organisation=organisation).last_sequence == 1


def _bulk_chain(organisation, length: int) -> None:
    """Store a valid chain of `length` events quickly, straight through the plain manager."""
    from accord.audit.chain import compute_hash

    previous = GENESIS_HASH
    rows = []
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for sequence in range(1, length + 1):
        fields = {
            "organisation_id": organisation.pk,
            "sequence": sequence,
            "occurred_at": moment + dt.timedelta(seconds=sequence),
            "actor_id": None,
            "actor_label": "system",
            "action": "test.bulk",
            "target_type": "organisations.organisation",
            "target_id": str(organisation.pk),
            "target_label": organisation.name,
            "case_id": None,
            "visibility": "case",
            "details": {"n": sequence, "text": "x" * 200},
            "request_id": "",
        }
        fields["hash"] = compute_hash(fields, previous)
        rows.append(AuditEvent(**fields, previous_hash=previous))
        previous = fields["hash"]
    AuditEvent._base_manager.bulk_create(rows, batch_size=500)
    AuditChainHead.objects.update_or_create(
        organisation=organisation, defaults={"last_sequence": length, "last_hash": previous}
    )


def test_verification_memory_does_not_grow_with_the_trail(db, monkeypatch):
    import tracemalloc

    from accord.organisations.models import Organisation

    monkeypatch.setattr("accord.audit.verification.CHUNK_SIZE", 100)
    short = Organisation.objects.create(name="Short", slug="short")
    long = Organisation.objects.create(name="Long", slug="long")
    _bulk_chain(short, 400)
    _bulk_chain(long, 4000)

    def peak(organisation) -> int:
        tracemalloc.start()
        try:
            assert chain_verify(organisation_id=organisation.pk).problem is None
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(short)  # warm up caches (compiled queries, converters)
    short_peak, long_peak = peak(short), peak(long)
    # Ten times the events, but the same chunk in memory at a time.
    assert long_peak < short_peak * 2
