"""`accord audit verify` against rows tampered with directly in the database."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from accord.audit.chain import STORED_FIELDS, compute_hash
from accord.audit.models import AuditChainHead, AuditEvent
from accord.audit.tests.conftest import record_events
from accord.organisations.services import organisation_create


def verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def verify_fails(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", *args, stdout=StringIO(), stderr=err)
    return str(excinfo.value) + "\n" + err.getvalue()


def event_id(organisation, sequence: int) -> int:
    return AuditEvent.objects.get(organisation=organisation, sequence=sequence).pk


def test_an_intact_trail_passes_with_one_line_per_organisation(chain_org):
    other = organisation_create(actor=None, name="Other", slug="other-org")
    record_events(other, 2)
    out, err = verify()
    lines = out.strip().splitlines()
    assert lines[0].startswith("chain-test: intact, 7 events, head ")
    assert lines[1].startswith("other-org: intact, 3 events, head ")
    assert err == ""


def test_intact_exits_zero_and_tampering_exits_one_from_the_command_line(
    chain_org, tamper, capsys, monkeypatch
):
    # The command line closes every connection when it ends; keep the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    execute_from_command_line(["accord", "audit", "verify"])  # returns normally: status 0
    assert "chain-test: intact" in capsys.readouterr().out
    tamper(
        (
            "UPDATE audit_auditevent SET action = %s WHERE id = %s",
            ["forged.action", event_id(chain_org, 3)],
        )
    )
    with pytest.raises(SystemExit) as broken:
        execute_from_command_line(["accord", "audit", "verify"])
    assert broken.value.code == 1
    assert "event #3 (forged.action" in capsys.readouterr().err


def test_altered_details_are_reported_naming_the_event(chain_org, tamper):
    tamper(
        (
            "UPDATE audit_auditevent SET details = %s WHERE id = %s",
            [json.dumps({"number": 99}), event_id(chain_org, 4)],
        )
    )
    message = verify_fails()
    assert "chain-test" in message
    assert "event #4 (test.step_2" in message
    assert "was altered" in message


def test_a_restricted_event_made_visible_is_reported(chain_org, tamper):
    restricted = AuditEvent.objects.filter(organisation=chain_org, visibility="restricted").first()
    assert restricted is not None
    tamper(("UPDATE audit_auditevent SET visibility = 'case' WHERE id = %s", [restricted.pk]))
    assert f"event #{restricted.sequence} " in verify_fails()


def test_a_moment_moved_by_one_microsecond_is_reported(chain_org, guards_off):
    event = AuditEvent.objects.get(organisation=chain_org, sequence=2)
    with guards_off():
        AuditEvent._base_manager.filter(pk=event.pk).update(
            occurred_at=event.occurred_at + dt.timedelta(microseconds=1)
        )
    message = verify_fails()
    assert "event #2 (test.step_0" in message and "altered" in message


def test_a_deleted_middle_event_is_reported_missing(chain_org, tamper):
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 3)]))
    message = verify_fails()
    assert "chain-test: BROKEN: event #3 is missing (the next event present is #4)" in message


def test_a_deleted_first_event_is_reported_missing(chain_org, tamper):
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 1)]))
    assert "event #1 is missing" in verify_fails()


def test_a_deleted_last_event_is_reported_missing_against_the_head(chain_org, tamper):
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 7)]))
    message = verify_fails()
    assert "event #7 is missing: the chain head records #7" in message


def test_cutting_the_tail_and_rewinding_the_head_is_caught_only_by_an_anchor(chain_org, tamper):
    """The known limit: rewriting the tail and the head together passes the plain check.

    What catches it is the head printed by an earlier run and kept somewhere else.
    """
    before, _ = verify()
    genuine = AuditEvent.objects.get(organisation=chain_org, sequence=7).hash
    assert f"head #7 {genuine}" in before
    previous = AuditEvent.objects.get(organisation=chain_org, sequence=6)
    tamper(
        ("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 7)]),
        (
            "UPDATE audit_auditchainhead SET last_sequence = 6, last_hash = %s "
            "WHERE organisation_id = %s",
            [previous.hash, chain_org.pk],
        ),
    )
    after, _ = verify()
    assert "chain-test: intact, 6 events" in after
    message = verify_fails("--organisation", "chain-test", "--anchor", f"7:{genuine}")
    assert "event #7 of the anchor no longer exists" in message


def test_a_chain_rewritten_end_to_end_is_caught_by_an_anchor(chain_org, tamper):
    anchor = AuditEvent.objects.get(organisation=chain_org, sequence=6).hash
    verify("--organisation", "chain-test", "--anchor", f"6:{anchor}")  # passes beforehand
    rows = list(
        AuditEvent.objects.filter(organisation=chain_org, sequence__gte=5)
        .order_by("sequence")
        .values(*STORED_FIELDS, "id")
    )
    link = AuditEvent.objects.get(organisation=chain_org, sequence=4).hash
    statements = []
    for row in rows:
        if row["sequence"] == 5:
            row["details"] = {"rewritten": True}
        row["previous_hash"] = link
        row["hash"] = link = compute_hash(row, link)
        statements.append(
            (
                "UPDATE audit_auditevent SET details = %s, previous_hash = %s, hash = %s "
                "WHERE id = %s",
                [json.dumps(row["details"]), row["previous_hash"], row["hash"], row["id"]],
            )
        )
    statements.append(
        (
            "UPDATE audit_auditchainhead SET last_hash = %s WHERE organisation_id = %s",
            [link, chain_org.pk],
        )
    )
    tamper(*statements)
    out, _ = verify("--organisation", "chain-test")
    assert "intact, 7 events" in out  # a perfect rewrite passes the plain check
    message = verify_fails("--organisation", "chain-test", "--anchor", f"6:{anchor}")
    assert "event #6 no longer has the anchored hash" in message


@pytest.mark.parametrize(
    "args, message",
    [
        (["--anchor", "6:" + "a" * 64], "--anchor needs --organisation"),
        (["--organisation", "chain-test", "--anchor", "six:abc"], "SEQUENCE:HASH"),
        (["--organisation", "chain-test", "--anchor", "6:abc"], "SEQUENCE:HASH"),
    ],
)
def test_a_malformed_anchor_is_a_clear_error(chain_org, args, message):
    assert message in verify_fails(*args)


def _forged_row(organisation, sequence: int, previous_hash: str) -> dict:
    fields = {
        "organisation_id": organisation.pk,
        "sequence": sequence,
        "occurred_at": dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC),
        "actor_id": None,
        "actor_label": "system",
        "action": "forged.event",
        "target_type": "organisations.organisation",
        "target_id": str(organisation.pk),
        "target_label": organisation.name,
        "case_id": None,
        "visibility": "case",
        "details": {},
        "request_id": "",
    }
    fields["previous_hash"] = previous_hash
    fields["hash"] = compute_hash(fields, previous_hash)
    return fields


def _insert(row: dict) -> tuple[str, list]:
    columns = [*row]
    values = [json.dumps(v) if k == "details" else v for k, v in row.items()]
    return (
        f"INSERT INTO audit_auditevent ({', '.join(columns)}) "  # noqa: S608 - test-only literal
        f"VALUES ({', '.join(['%s'] * len(columns))})",
        values,
    )


def test_a_forged_event_with_a_recomputed_hash_but_wrong_link_is_reported(chain_org, tamper):
    wrong_link = AuditEvent.objects.get(organisation=chain_org, sequence=2).hash
    tamper(_insert(_forged_row(chain_org, 8, wrong_link)))
    message = verify_fails()
    assert "event #8 (forged.event" in message
    assert "does not link to event #7" in message


def test_a_perfectly_linked_forged_event_past_the_head_is_reported(chain_org, tamper):
    last = AuditEvent.objects.get(organisation=chain_org, sequence=7).hash
    tamper(_insert(_forged_row(chain_org, 8, last)))
    assert "event #8 was inserted after the recorded chain head (#7)" in verify_fails()


def test_a_replaced_middle_event_is_reported(chain_org, tamper):
    link = AuditEvent.objects.get(organisation=chain_org, sequence=3).hash
    tamper(
        ("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 4)]),
        _insert(_forged_row(chain_org, 4, link)),
    )
    message = verify_fails()
    assert "event #5 (test.step_3" in message
    assert "event #4 was replaced" in message


def test_swapped_sequence_numbers_are_reported(chain_org, tamper):
    three, four = event_id(chain_org, 3), event_id(chain_org, 4)
    tamper(
        ("UPDATE audit_auditevent SET sequence = 1000 WHERE id = %s", [three]),
        ("UPDATE audit_auditevent SET sequence = 3 WHERE id = %s", [four]),
        ("UPDATE audit_auditevent SET sequence = 4 WHERE id = %s", [three]),
    )
    message = verify_fails()
    assert "event #3 (test.step_2" in message and "altered" in message


def test_only_the_tampered_organisation_is_named(chain_org, tamper):
    other = organisation_create(actor=None, name="Other", slug="other-org")
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 2)]))
    err = StringIO()
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit", "verify", stdout=out, stderr=err)
    assert "chain-test: BROKEN: event #2 is missing" in err.getvalue()
    assert "other-org: intact, 1 events" in out.getvalue()
    assert other.slug not in err.getvalue()


def test_one_organisation_can_be_checked_alone(chain_org, tamper):
    organisation_create(actor=None, name="Other", slug="other-org")
    tamper(("DELETE FROM audit_auditevent WHERE id = %s", [event_id(chain_org, 2)]))
    out, _ = verify("--organisation", "other-org")
    assert out.strip().startswith("other-org: intact")
    assert "chain-test" not in out
    assert "event #2 is missing" in verify_fails("--organisation", "chain-test")


def test_an_unknown_organisation_is_a_clear_error(chain_org):
    assert "No organisation has the short name 'nowhere'" in verify_fails(
        "--organisation", "nowhere"
    )


def test_a_dropped_or_disabled_trigger_fails_verification(chain_org, guards_off):
    with guards_off():
        message = verify_fails()
    assert "append-only protection" in message
    assert "audit_event_no_delete" in message


def test_a_missing_head_with_events_present_is_reported(chain_org, tamper):
    tamper(("DELETE FROM audit_auditchainhead WHERE organisation_id = %s", [chain_org.pk]))
    assert "event #1 was inserted after the recorded chain head (#0)" in verify_fails()
    assert not AuditChainHead.objects.filter(organisation=chain_org).exists()
