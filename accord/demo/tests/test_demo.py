"""The demo loader and the `accord demo` command."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from accord.accounts.models import User
from accord.audit.chain import verify_events
from accord.audit.models import AuditChainHead, AuditEvent
from accord.cases.models import Case, CaseKind, Participant
from accord.cases.selectors import case_list, participant_views
from accord.cases.workflows import EVENTS
from accord.demo.data import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    OTHER_DEMO_SLUG,
    demo_load,
    demo_logins,
    demo_staff_codes,
    totp_code,
)
from accord.organisations.models import Accreditation, MediatorProfile, Membership, Organisation

REPO_ROOT = Path(__file__).resolve().parents[3]


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "cases": Case.objects.count(),
        "participants": Participant.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "authenticators": Authenticator.objects.count(),
    }


def _chain_problem(organisation: Organisation):
    head = AuditChainHead.objects.get(organisation=organisation)
    events = AuditEvent.objects.filter(organisation=organisation).order_by("sequence").values()
    return verify_events(events, head_sequence=head.last_sequence, head_hash=head.last_hash)


@pytest.mark.django_db
def test_loading_the_demo_twice_creates_nothing_the_second_time():
    first = demo_load()
    after_first = _counts()
    second = demo_load()

    assert first.created is True
    assert second.created is False
    assert _counts() == after_first
    assert after_first["organisations"] == 2


@pytest.mark.django_db
def test_demo_service_has_every_role_and_cases_of_every_kind_at_different_stages():
    demo_load()
    riverside = Organisation.objects.get(slug=DEMO_SLUG)
    cases = Case.objects.filter(organisation=riverside)

    assert set(
        Membership.objects.filter(organisation=riverside).values_list("role", flat=True)
    ) == {
        "service_admin",
        "coordinator",
        "mediator",
        "supervisor",
        "safeguarding_lead",
    }
    assert cases.count() == 12  # 10 in data.py, Patel (story_send), Hughes / Brennan (children)
    assert set(cases.values_list("kind", flat=True)) == set(CaseKind.values)
    assert len(set(cases.values_list("stage", flat=True))) >= 6
    assert cases.filter(stage="closed").exists()
    moves = AuditEvent.objects.filter(organisation=riverside, action="case.stage_changed")
    assert moves.count() >= 15
    # A move by hand says why; a move by itself names the event that caused it.
    assert all(
        event.details.get("reason") or event.details.get("event") in EVENTS for event in moves
    )


@pytest.mark.django_db
def test_demo_mediators_are_one_accredited_with_urn_and_one_provisional_under_the_supervisor():
    demo_load()
    profiles = MediatorProfile.objects.filter(organisation__slug=DEMO_SLUG).select_related("user")
    by_status = {profile.accreditation: profile for profile in profiles}

    accredited = by_status[Accreditation.ACCREDITED]
    provisional = by_status[Accreditation.PROVISIONAL]
    assert accredited.fmc_urn == "FMC-4412"
    assert provisional.supervisor is not None
    assert provisional.supervisor.email == "supervisor@riverside.example"
    assert Case.objects.get(title="Patel / Evans").supervisor == provisional.supervisor


@pytest.mark.django_db
def test_demo_audit_chains_are_intact():
    demo_load()

    for organisation in Organisation.objects.filter(slug__in=[DEMO_SLUG, OTHER_DEMO_SLUG]):
        assert _chain_problem(organisation) is None


@pytest.mark.django_db
def test_every_demo_login_works_with_the_published_password():
    demo_load()

    users = User.objects.filter(email__in=[login.email for login in demo_logins()])
    hashes = {user.password for user in users}

    assert users.count() == len(demo_logins())
    # The logins share one hash (hashing is slow on purpose): checking each distinct one suffices.
    assert all(check_password(DEMO_PASSWORD, encoded) for encoded in hashes)


@pytest.mark.django_db
def test_demo_parties_see_only_their_own_service_and_not_the_other_partys_address():
    demo_load()
    kasia = User.objects.get(email="kasia.novak@parties.example")
    daniel = User.objects.get(email="daniel.wright@parties.example")
    khan = Case.objects.get(title="Khan / Wright")

    assert [case.organisation.slug for case in case_list(user=kasia)] == [OTHER_DEMO_SLUG]
    sarah_as_daniel_sees_her = next(
        view for view in participant_views(user=daniel, case=khan) if view.full_name == "Sarah Khan"
    )
    assert sarah_as_daniel_sees_her.address == ""
    assert sarah_as_daniel_sees_her.email == ""


@pytest.mark.django_db
def test_staff_of_the_second_service_see_none_of_the_first_services_cases():
    demo_load()
    owen = User.objects.get(email="admin@hillside.example")

    assert {case.organisation.slug for case in case_list(user=owen)} == {OTHER_DEMO_SLUG}


@pytest.mark.django_db
def test_loading_again_restores_a_changed_demo_password_and_two_factor_secret():
    demo_load()
    user = User.objects.get(email="mediator@riverside.example")
    user.set_password("someone-changed-it-123")
    user.save(update_fields=["password"])
    Authenticator.objects.filter(user=user).delete()

    assert dict(demo_staff_codes())[_login("mediator@riverside.example")] is None
    demo_load()

    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert dict(demo_staff_codes())[_login("mediator@riverside.example")] == totp_code()


def _login(email: str):
    return next(login for login in demo_logins() if login.email == email)


@pytest.mark.django_db
def test_demo_command_without_serving_loads_the_demo_and_prints_the_logins():
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)

    text = out.getvalue()
    assert Organisation.objects.filter(slug=DEMO_SLUG).exists()
    assert DEMO_PASSWORD in text
    assert "mediator@riverside.example" in text
    assert "sarah.khan@parties.example" in text
    assert "ACCORDDEMOTOTPSECRETFORSTAFFONLY" in text


@pytest.mark.django_db
def test_codes_option_prints_the_current_code_for_each_demo_member_of_staff():
    demo_load()
    out = io.StringIO()

    call_command("demo", "--codes", stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "@" in line]
    assert len(lines) == len([login for login in demo_logins() if login.is_staff])
    assert all(line.split()[-1].isdigit() and len(line.split()[-1]) == 6 for line in lines)
    assert not any("parties.example" in line for line in lines)


@pytest.mark.django_db
def test_codes_option_before_the_demo_is_loaded_says_to_load_it():
    with pytest.raises(CommandError, match="not loaded yet"):
        call_command("demo", "--codes")


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("abc", "whole number"),
        ("0", "out of range"),
        ("65536", "out of range"),
        ("", "whole number"),
    ],
)
def test_demo_command_rejects_a_bad_port(port, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", "--port", port)


def test_demo_command_reports_a_port_already_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="already in use"):
            call_command("demo", "--port", str(port))


def test_demo_command_rejects_an_empty_host():
    with pytest.raises(CommandError, match="host must not be empty"):
        call_command("demo", "--host", " ")


@override_settings(PRODUCTION=True)
def test_demo_command_refuses_to_run_in_production():
    with pytest.raises(CommandError, match="does not run with ACCORD_ENV=production"):
        call_command("demo", "--no-serve")


def _run_accord(
    *args: str,
    data_dir: Path | None,
    extra_env: dict[str, str] | None = None,
    cwd: Path = REPO_ROOT,
) -> subprocess.CompletedProcess[str]:
    # A clean environment: the embedded SQLite default in a private folder, whatever CI has set.
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "XDG_STATE_HOME")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    if data_dir is not None:
        env["ACCORD_DATA_DIR"] = str(data_dir)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_command_on_a_fresh_sqlite_file_migrates_and_loads(tmp_path):
    result = _run_accord("demo", "--no-serve", data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Loaded the demo" in result.stdout
    assert (tmp_path / "accord.sqlite3").exists()
    # Library progress logging is quiet; the logins, the address and the enquiry form come last.
    assert "weasyprint" not in result.stderr
    last_lines = result.stdout.strip().splitlines()[-4:]
    assert last_lines[0] == (
        "Open http://127.0.0.1:8000/ in a browser: the public page lists the services and "
        "their forms."
    )
    assert last_lines[1].endswith(f"http://127.0.0.1:8000/enquire/{DEMO_SLUG}/")
    assert result.stdout.index("sarah.khan@parties.example") < result.stdout.index(last_lines[0])

    # Another terminal, another folder, nothing set: --codes finds this demo by itself.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    codes = _run_accord("demo", "--codes", data_dir=None, cwd=elsewhere)
    assert codes.returncode == 0, codes.stderr
    assert "mediator@riverside.example" in codes.stdout
    assert list(elsewhere.iterdir()) == []


def test_codes_without_a_recorded_demo_says_what_to_set_and_creates_nothing(tmp_path):
    state = tmp_path / "state"
    empty = tmp_path / "empty"
    empty.mkdir()

    result = _run_accord(
        "demo", "--codes", data_dir=None, cwd=empty, extra_env={"XDG_STATE_HOME": str(state)}
    )

    assert result.returncode == 1
    assert "No running demo was found" in result.stderr
    assert "set ACCORD_DATA_DIR (or DATABASE_URL)" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(empty.iterdir()) == []
    assert not state.exists()


def test_codes_when_the_recorded_data_folder_is_gone_says_so_and_creates_nothing(tmp_path):
    from accord.demo.location import location_file

    state = tmp_path / "state"
    gone = tmp_path / "gone-demo"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    note = location_file({"XDG_STATE_HOME": str(state)})
    note.parent.mkdir(parents=True)
    note.write_text(json.dumps({"ACCORD_DATA_DIR": str(gone)}), encoding="utf-8")

    result = _run_accord(
        "demo", "--codes", data_dir=None, cwd=elsewhere, extra_env={"XDG_STATE_HOME": str(state)}
    )

    assert result.returncode == 1
    assert f"The last demo kept its data in {gone}, which no longer exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert not gone.exists()
    assert list(elsewhere.iterdir()) == []


def test_bad_port_on_the_command_line_is_a_clear_error_without_a_traceback(tmp_path):
    result = _run_accord("demo", "--port", "eighty", data_dir=tmp_path)

    assert result.returncode == 1
    assert "The port must be a whole number from 1 to 65535, not 'eighty'." in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_a_clear_error_without_a_traceback(tmp_path):
    result = _run_accord(
        "demo",
        "--no-serve",
        data_dir=tmp_path,
        extra_env={"DATABASE_URL": "postgres://accord@127.0.0.1:1/accord_demo"},
    )

    assert result.returncode == 1
    assert "CommandError: Cannot use the database" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_demo_server_serves_pages_and_the_stylesheet_with_waitress(tmp_path):
    port = _free_port()
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env["ACCORD_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "accord", "demo", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                login = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"The demo server did not start:\n{server.communicate()[0]}")
                time.sleep(0.5)
        stylesheet = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/accord/accord.css")

        assert login.status == 200
        assert 'href="/static/accord/accord.css"' in login.read().decode()
        assert stylesheet.status == 200
        assert stylesheet.headers["Content-Type"].startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db
def test_demo_has_statutory_deadlines_one_of_them_shared_with_the_parent():
    from accord.deadlines.models import Deadline

    demo_load()
    every = list(Deadline.objects.select_related("case", "concerns_participant"))
    deadlines = {d.rule_code: d for d in every}
    # The SEND and finance stories add their own clocks (appeal, certificate, disclosure...).
    assert set(deadlines) >= {
        "court_order.comply_by",
        "fees.invoice_payment",
        "miam.within_15_business_days",
        "send.arrange_mediation",
        "willingness.response",
    }
    # Daniel Wright's invoice was paid: its payment deadline is met.
    assert deadlines["fees.invoice_payment"].status == "met"
    send = next(
        d
        for d in every
        if d.rule_code == "send.arrange_mediation" and d.case.title.startswith("Harrison")
    )
    assert send.visible_to_participants
    assert send.concerns_participant is not None
    assert send.concerns_participant.full_name == "Joanne Harrison"
    assert not deadlines["miam.within_15_business_days"].visible_to_participants


@pytest.mark.django_db
def test_demo_shows_a_shuttle_mediation_under_way_and_an_invitation_waiting():
    from accord.agenda.models import AgendaItem
    from accord.agreements.gate import unsigned_required
    from accord.cases.models import Case
    from accord.mediation.models import MediationSession
    from accord.meetings.models import Miam
    from accord.outcomes.models import OutcomeDraft
    from accord.rooms.models import Message
    from accord.willingness.models import WillingnessInvitation

    demo_load()
    khan = Case.objects.get(title="Khan / Wright")
    assert unsigned_required(khan) == []
    # One shuttle session booked; a second was pencilled in and cancelled (story_appts).
    assert (
        MediationSession.objects.filter(case=khan, format="shuttle", status="booked").count() == 1
    )
    agreed = AgendaItem.objects.get(case=khan, status="agreed")
    relayed = Message.objects.get(room__case=khan, relayed_from__isnull=False)
    assert relayed.body == agreed.agreed_wording
    original = relayed.relayed_from
    assert relayed.room.party is not None and original is not None
    assert original.room.party is not None
    assert relayed.room.party.full_name == "Daniel Wright"
    assert original.room.party.full_name == "Sarah Khan"
    assert original.body != relayed.body
    assert OutcomeDraft.objects.filter(case=khan, kind="mou", status="draft").exists()
    assert Miam.objects.filter(case__title="Okafor / Okafor", status="booked").count() == 2
    invitation = WillingnessInvitation.objects.get(case__title="Murphy / Lee")
    assert invitation.status == "invited"


@pytest.mark.django_db
def test_demo_family_cases_agree_with_their_own_records():
    """Khan / Wright in sessions: invitation answered, MIAMs held, shuttle decided, and nothing
    of an earlier stage in what is next (the bug: "Not invited yet" and "No MIAMs")."""
    from accord.cases.progress import next_steps
    from accord.meetings.models import Miam, SuitabilityDecision
    from accord.willingness.selectors import willingness_state

    demo_load()
    khan = Case.objects.get(title="Khan / Wright")
    assert khan.stage == "mediation"
    assert willingness_state(khan).code == "willing"
    assert Miam.objects.filter(case=khan, status="held").count() == 2
    assert SuitabilityDecision.objects.get(case=khan).route == "shuttle"
    mediator = khan.lead_mediator
    texts = " | ".join(step.text for step in next_steps(khan, user=mediator))
    assert "Next session" in texts
    for earlier in ("Invite", "MIAM", "screening", "Decide suitability", "Agreement to Mediate"):
        assert earlier not in texts
    # Patel / Evans went on from its MIAMs to a session before its finance work (story_finance).
    patel = Case.objects.get(title="Patel / Evans")
    assert patel.stage == "mediation"
    assert SuitabilityDecision.objects.get(case=patel).route == "joint"
    patel_steps = " | ".join(s.text for s in next_steps(patel, user=patel.lead_mediator))
    for earlier in ("Invite", "MIAM", "Decide suitability", "Agreement to Mediate"):
        assert earlier not in patel_steps
    okafor = Case.objects.get(title="Okafor / Okafor")
    assert okafor.stage == "miam"
    assert willingness_state(okafor).code == "willing"


@pytest.mark.django_db
def test_demo_case_histories_are_spread_over_the_story_days_not_the_loading_moment():
    from django.utils import timezone

    demo_load()
    now = timezone.now()
    khan = Case.objects.get(title="Khan / Wright")
    events = list(AuditEvent.objects.filter(case_id=khan.pk).order_by("sequence"))
    days = {event.occurred_at.date() for event in events}

    # Opened about eight weeks ago, with its history on many different days since.
    assert 55 <= (now - khan.opened_at).days <= 62
    assert events[0].occurred_at.date() == khan.opened_at.date()
    assert len(days) >= 10
    assert all(event.occurred_at <= now for event in events)
    # In the order the service lived it: each event no earlier than the one before.
    moments = [event.occurred_at for event in events]
    assert moments == sorted(moments)
    # So are the cases whose later steps come from story modules (rooms, appointments, steps,
    # the court order), whichever weekday the demo is loaded on.
    for title in (
        "Okafor / Okafor",
        "Murphy / Lee",
        "Taylor / Singh (finance team)",
        "Harrison - EHC plan, secondary transfer",
        "Patel - refusal to assess",
        "Hughes / Brennan",
        "Patel / Evans",
    ):
        case = Case.objects.get(title=title)
        times = list(
            AuditEvent.objects.filter(case_id=case.pk)
            .order_by("sequence")
            .values_list("occurred_at", flat=True)
        )
        assert times == sorted(times), title
    taylor = Case.objects.get(title="Taylor / Singh (finance team)")
    taylor_days = {
        moment.date()
        for moment in AuditEvent.objects.filter(case_id=taylor.pk).values_list(
            "occurred_at", flat=True
        )
    }
    assert len(taylor_days) >= 5
    # The finance work on Patel / Evans and the fees on Khan / Wright have their own days too.
    patel = Case.objects.get(title="Patel / Evans")
    patel_days = {
        moment.date()
        for moment in AuditEvent.objects.filter(case_id=patel.pk).values_list(
            "occurred_at", flat=True
        )
    }
    assert len(patel_days) >= 10
    today = timezone.localdate()
    for action in (
        "fees.invoice_issued",
        "fees.payment_recorded",
        "finance.disclosure_shared",
        "finance.scenario_shared",
    ):
        stamped = AuditEvent.objects.filter(action=action).values_list("occurred_at", flat=True)
        assert stamped and all(timezone.localdate(m) < today for m in stamped), action
    # Every case started on the day it was opened, not on the day the demo was loaded.
    for case in Case.objects.all():
        first = AuditEvent.objects.filter(case_id=case.pk).order_by("sequence").first()
        assert first is not None
        assert first.occurred_at.date() == case.opened_at.date(), case.title
    assert Case.objects.filter(opened_at__lt=now - dt.timedelta(days=30)).count() >= 4


@pytest.mark.django_db
def test_the_only_overdue_deadline_is_the_one_the_story_and_readme_name():
    from django.utils import timezone

    from accord.deadlines.models import Deadline

    demo_load()
    overdue = Deadline.objects.filter(status="open", due_at__lt=timezone.now())

    assert [(d.case.title, d.rule_code) for d in overdue] == [
        ("Okafor / Okafor", "miam.within_15_business_days")
    ]
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "Okafor / Okafor" in readme and "overdue" in readme
    # Met deadlines were met on time by the story's dates.
    for deadline in Deadline.objects.filter(status="met"):
        assert deadline.resolved_at is not None
        assert deadline.resolved_at <= deadline.due_at, deadline.case.title


def test_story_time_runs_a_block_on_the_story_day_and_comes_back():
    from django.utils import timezone

    from accord.demo.clock import real_now, story_moment, story_time

    before = timezone.now()
    with story_time(days_ago=10, at="14:30") as moment:
        inside = timezone.now()
        assert abs((inside - moment).total_seconds()) < 5
        assert (real_now() - inside).days >= 9
    assert abs((timezone.now() - before).total_seconds()) < 60
    assert moment.weekday() < 5
    assert (moment.hour, moment.minute) == (14, 30)
    assert story_moment(days_ago=0) <= real_now()
    with pytest.raises(ValueError, match="days_ago must be 0 or more"):
        story_moment(days_ago=-1)


@pytest.mark.django_db
def test_demo_shows_a_moved_miam_a_missed_one_a_cancelled_session_and_a_closure():
    from accord.deadlines.delivery import outbox_deliver_due
    from accord.deadlines.models import CalendarOverride, OutboundEmail, OutboundStatus
    from accord.mediation.models import MediationSession
    from accord.meetings.models import Miam, MiamStatus

    demo_load()
    okafor = Case.objects.get(title="Okafor / Okafor")
    assert Miam.objects.filter(case=okafor, status=MiamStatus.BOOKED, sequence=1).count() == 1
    assert Miam.objects.filter(case=okafor, status=MiamStatus.DID_NOT_ATTEND).count() == 1
    khan = Case.objects.get(title="Khan / Wright")
    cancelled = MediationSession.objects.get(case=khan, status="cancelled")
    assert "Daniel is away" in cancelled.cancel_reason
    assert CalendarOverride.objects.filter(name="Staff training day").exists()
    # When the outbox runs, the confirmation of the MIAM's first time is dropped, not sent.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        outbox_deliver_due()
    dropped = OutboundEmail.objects.filter(status=OutboundStatus.DROPPED)
    assert "The MIAM was moved after this email was written." in {e.last_error for e in dropped}


@pytest.mark.django_db
def test_the_issued_parenting_plan_page_shows_its_headings(client):
    from django.urls import reverse

    from accord.outcomes.models import OutcomeDraft

    demo_load()
    plans = OutcomeDraft.objects.filter(case__title="Hughes / Brennan", kind="parenting_plan")
    plan = plans.first()
    assert plan is not None
    client.force_login(User.objects.get(email="coordinator@riverside.example"))
    response = client.get(reverse("outcomes:detail", args=[plan.case_id, plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Handovers at school: Handovers happen at the school gate" in html
    assert "To discuss." in html


@pytest.mark.django_db
def test_the_waiting_enquiry_shows_the_coordinator_a_conflict_match(client):
    """Laura Bennett's enquiry names Marcus Bennett, who supported a neighbour in the Elm Street
    mediation: the coordinator sees the match, and no decision is recorded yet (it waits in the
    coordinator's queue)."""
    from accord.cases.models import Case
    from accord.cases.workspace import section_url
    from accord.intake.models import Enquiry
    from accord.intake.selectors import conflict_summary

    demo_load()
    enquiry = Enquiry.objects.get(case__participants__full_name="Laura Bennett")
    elm_street = Case.objects.get(title="Brooks / Mensah (Elm Street)")
    coordinator = User.objects.get(email="coordinator@riverside.example")
    summary = conflict_summary(user=coordinator, case=enquiry.case)
    assert [(m.person, m.other_case, m.reasons) for m in summary.shown] == [
        ("Marcus Bennett", elm_street, ("phone",))
    ]
    assert enquiry.conflict_decision == ""
    client.force_login(coordinator)
    body = client.get(section_url(enquiry.case.pk, "people")).content.decode()
    assert "1 match in 1 other case" in body
    assert "Marcus Bennett matches Marcus Bennett in" in body and elm_street.reference in body
