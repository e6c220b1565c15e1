"""Retention, subject access and erasure: the export holds the person's own words and never the
other party's private room; erasure keeps the audit chain verifiable; bad schedules refused."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.audit.verification import chain_verify
from accord.cases.models import Case, Participant
from accord.complaints import services as complaint_services
from accord.core.errors import NotPermitted, ValidationFailed
from accord.mediation import services as mediation_services
from accord.mediation.tests.helpers import book as book_session
from accord.meetings import services as meetings_services
from accord.meetings.tests.helpers import book as book_miam
from accord.records import erasure, retention, services
from accord.records.models import RecordHold, RetentionAction, SubjectAccessRequest
from accord.rooms.models import Message, Room
from accord.rooms.services import message_post, rooms_ensure

pytestmark = pytest.mark.django_db

BOB_PRIVATE = "Between us, I would settle for alternate weekends."
ALICE_PRIVATE = "Only the mediator should know: I am moving to Leeds in March."
BOB_JOINT = "I would like the children every other weekend."


def _talk(service):
    case = service.case
    rooms_ensure(case=case)
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    message_post(
        actor=service.parties["alice"],
        room=Room.objects.get(case=case, kind="private", party=alice),
        body=ALICE_PRIVATE,
    )
    message_post(
        actor=service.parties["bob"],
        room=Room.objects.get(case=case, kind="private", party=bob),
        body=BOB_PRIVATE,
    )
    message_post(
        actor=service.parties["bob"], room=Room.objects.get(case=case, kind="joint"), body=BOB_JOINT
    )
    return alice, bob


def _close(case, years_ago: int):
    closed = timezone.now() - dt.timedelta(days=365 * years_ago + 10)
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_at=closed)


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_subject_access_export_has_own_words_not_the_other_partys_private_room(client, service):
    _, bob = _talk(service)
    client.force_login(service.parties["bob"])
    url = reverse("records:portal_my_data", args=[service.case.pk])
    assert client.post(url, {"ask": "copy"}).status_code == 302
    sar = SubjectAccessRequest.objects.get()
    assert sar.via_portal and sar.participant == bob
    portal = client.get(reverse("portal:case", args=[service.case.pk])).content.decode()
    assert "The service will send you a copy of your data by" in portal
    assert (sar.due_at.date() - sar.received_on).days in range(27, 33)
    # A second open request is refused with a message, not a 500.
    response = client.post(url, {"ask": "copy"})
    assert response.status_code == 422
    assert "already open" in response.content.decode()
    client.force_login(service.mediator)
    assert client.get(reverse("records:sar_detail", args=[sar.pk])).status_code == 404
    client.force_login(service.admin)
    page = client.get(reverse("records:sar_detail", args=[sar.pk])).content.decode()
    assert "Messages in other parties&#x27; private rooms" in page or "private rooms" in page
    response = client.post(reverse("records:sar_export", args=[sar.pk]))
    assert response.status_code == 200
    archive = _zip(response.content)
    assert {"summary.pdf", "data.json"} <= set(archive.namelist())
    data = archive.read("data.json").decode()
    assert BOB_PRIVATE in data and BOB_JOINT in data
    assert ALICE_PRIVATE not in data
    assert "Alice Smith" not in data
    withheld = json.loads(data)["withheld"]
    assert any("private room" in w["category"] for w in withheld)
    assert archive.read("summary.pdf").startswith(b"%PDF")
    sar.refresh_from_db()
    assert sar.status == "done" and len(sar.export_sha256) == 64
    event = AuditEvent.objects.get(action="records.sar_exported")
    assert BOB_PRIVATE not in json.dumps(event.details)


def test_retention_sweep_erases_what_is_due_keeps_held_and_the_chain_verifies(service):
    _alice, _bob = _talk(service)
    family, civil = service.cases["family"], service.cases["civil"]
    _close(family, 7)
    _close(civil, 7)
    # A legal hold keeps the civil case.
    hold = retention.record_hold_place(actor=service.admin, case=civil, reason="legal")
    dry = retention.retention_sweep(organisation=service.organisation, dry_run=True)
    assert Message.objects.filter(body=ALICE_PRIVATE).exists()
    case_file = next(k for k in dry.kinds if k.kind == "case_file")
    assert case_file.due == 2 and case_file.held == 1 and case_file.rows > 0
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "Case file" in out.getvalue()
    assert Message.objects.filter(body=ALICE_PRIVATE).exists()

    report = retention.retention_sweep(organisation=service.organisation, dry_run=False)
    assert not Message.objects.filter(body__in=[ALICE_PRIVATE, BOB_PRIVATE, BOB_JOINT]).exists()
    assert not Participant.objects.filter(case=family, full_name="Alice Smith").exists()
    assert Participant.objects.filter(case=civil, full_name="Carol Brown").exists()
    assert RetentionAction.objects.filter(case=civil, done="kept", kind="case_file").exists()
    assert report.run_id is not None
    assert chain_verify(organisation_id=service.organisation.pk).intact
    # The sweep's own event holds counts, not names.
    event = AuditEvent.objects.get(action="records.retention_swept")
    assert "Alice" not in json.dumps(event.details) and "Alice" not in event.target_label
    # Nothing is erased twice; releasing the hold lets the next sweep erase the civil case.
    retention.record_hold_release(actor=service.admin, hold=RecordHold.objects.get(pk=hold.pk))
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    assert not Participant.objects.filter(case=civil, full_name="Carol Brown").exists()
    assert chain_verify(organisation_id=service.organisation.pk).intact


def test_an_open_complaint_holds_the_case(service):
    _close(service.case, 7)
    complaint_services.complaint_make_from_portal(
        actor=service.parties["bob"], case=service.case, about="Unfair.", about_mediator=False
    )
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    assert Participant.objects.filter(case=service.case, full_name="Bob Jones").exists()


def test_periods_below_the_legal_minimum_are_refused(client, service):
    years = {name: 6 for name in retention.SCHEDULE_FIELDS}
    with pytest.raises(ValidationFailed) as refused:
        retention.retention_schedule_set(
            actor=service.admin,
            organisation=service.organisation,
            legal_minimum_years=3,
            **{**years, "case_file_years": 2},
        )
    assert "legal minimum" in refused.value.field_errors["case_file_years"][0]
    with pytest.raises(NotPermitted):
        retention.retention_schedule_set(
            actor=service.mediator,
            organisation=service.organisation,
            legal_minimum_years=3,
            **years,
        )
    client.force_login(service.admin)
    response = client.post(
        reverse("records:retention"),
        {"legal_minimum_years": "4", **{k: "3" for k in years}},
    )
    assert response.status_code == 422
    assert "legal minimum" in response.content.decode()
    response = client.post(
        reverse("records:retention"), {"legal_minimum_years": "4", **{k: "5" for k in years}}
    )
    assert response.status_code == 302
    assert retention.schedule_for(service.organisation).case_file_years == 5
    client.force_login(service.mediator)
    assert client.get(reverse("records:retention")).status_code == 404


def test_erasure_request_review_and_carry_out(client, service):
    alice, bob = _talk(service)
    request = services.erasure_request_make(
        actor=service.admin, participant=bob, received_on=timezone.localdate()
    )
    review = services.erasure_review(request)
    assert review.held and not review.case_ids  # the case is still open
    with pytest.raises(ValidationFailed):
        services.erasure_request_carry_out(actor=service.admin, request=request)
    _close(service.case, 1)
    client.force_login(service.admin)
    url = reverse("records:erasure_review", args=[request.pk])
    page = client.get(url).content.decode()
    assert "What is kept, and why" in page and "Safeguarding records" in page
    assert client.post(url, {"decision": "erase", "note": "Asked by letter."}).status_code == 302
    assert not Message.objects.filter(body__in=[BOB_PRIVATE, BOB_JOINT]).exists()
    # Only Bob's: Alice's private room and details stay.
    assert Message.objects.filter(body=ALICE_PRIVATE).exists()
    assert Participant.objects.filter(pk=alice.pk, full_name="Alice Smith").exists()
    bob.refresh_from_db()
    assert bob.full_name == "Erased person" and bob.email == ""
    assert chain_verify(organisation_id=service.organisation.pk).intact


BOB_CLASH = "Bob Jones can only come when Dan drives him, so back to back with Alice."
ALICE_CLASH = "Alice Smith asked for this time: her refuge worker comes with her."
SESSION_CLASH = "Alice is in a refuge and can only do this slot."


def _cancelled_miams_and_session(service):
    """Alice's and Bob's MIAMs and a joint session at one time, each booked or moved over the
    clash with a reason and then cancelled with one, every reason naming someone."""
    at = timezone.now() + dt.timedelta(days=3)
    alice = book_miam(service, "Alice Smith", starts_at=at)
    bob = book_miam(
        service, "Bob Jones", starts_at=at, confirm_warnings=True, confirm_reason=BOB_CLASH
    )
    session = book_session(
        service, starts_at=at, confirm_warnings=True, confirm_reason=SESSION_CLASH
    )
    alice = meetings_services.miam_move(
        actor=service.coordinator,
        miam=alice,
        starts_at=at + dt.timedelta(minutes=15),
        duration_minutes=alice.duration_minutes,
        mode=alice.mode,
        place=alice.place,
        confirm_warnings=True,
        confirm_reason=ALICE_CLASH,
    )
    miams = {}
    for name, miam in (("Alice Smith", alice), ("Bob Jones", bob)):
        miams[name] = meetings_services.miam_cancel(
            actor=service.coordinator, miam=miam, reason=f"{name} fears Dan will be outside."
        )
    session = mediation_services.session_cancel(
        actor=service.coordinator, session=session, reason="Alice is in a refuge this week."
    )
    for booked in (*miams.values(), session):
        booked.refresh_from_db()
    assert (miams["Alice Smith"].warnings_reason, miams["Bob Jones"].warnings_reason) == (
        ALICE_CLASH,
        BOB_CLASH,
    )
    assert session.warnings_reason == SESSION_CLASH
    return miams, session


def test_the_sweep_blanks_why_miams_and_sessions_were_cancelled_or_booked_over_a_clash(service):
    miams, session = _cancelled_miams_and_session(service)
    _close(service.case, 7)
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    for miam in miams.values():
        miam.refresh_from_db()
        assert miam.status == "cancelled"
        assert (miam.cancel_reason, miam.warnings_reason) == ("", "")
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert (session.cancel_reason, session.warnings_reason) == ("", "")


def test_a_persons_erasure_blanks_their_miams_reasons_and_keeps_the_sessions(client, service):
    miams, session = _cancelled_miams_and_session(service)
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    request = services.erasure_request_make(
        actor=service.admin, participant=bob, received_on=timezone.localdate()
    )
    _close(service.case, 1)
    client.force_login(service.admin)
    page = client.get(reverse("records:erasure_review", args=[request.pk])).content.decode()
    assert "mediation sessions" in page  # kept: the session is the whole case's
    services.erasure_request_carry_out(actor=service.admin, request=request)
    for miam in miams.values():
        miam.refresh_from_db()
    assert (miams["Bob Jones"].cancel_reason, miams["Bob Jones"].warnings_reason) == ("", "")
    assert miams["Alice Smith"].cancel_reason == "Alice Smith fears Dan will be outside."
    assert miams["Alice Smith"].warnings_reason == ALICE_CLASH
    session.refresh_from_db()
    assert session.cancel_reason == "Alice is in a refuge this week."
    assert session.warnings_reason == SESSION_CLASH


CHILD_CLASH = "Maya comes with Alice straight from Alice's MIAM: Dan must not know the place."


def _child_met_after_a_clash(service):
    """Maya's meeting, booked over Alice's MIAM with a reason naming people, then held."""
    from accord.children import services as children
    from accord.children.models import ChildOffer
    from accord.children.tests.conftest import born_years_ago
    from accord.organisations.models import MediatorProfile

    profile, _ = MediatorProfile.objects.get_or_create(
        organisation=service.organisation, user=service.mediator2
    )
    children.consultant_set(
        actor=service.admin, profile=profile, trained=True, dbs_checked_on=dt.date(2025, 3, 1)
    )
    at = timezone.now() + dt.timedelta(days=3)
    book_miam(service, "Alice Smith", starts_at=at)
    child = children.child_add(
        actor=service.coordinator,
        case=service.case,
        full_name="Maya Smith",
        date_of_birth=born_years_ago(12),
    )
    offer = children.child_offer_make(actor=service.coordinator, child=child)
    for party in ("alice", "bob"):
        children.consent_answer(actor=service.parties[party], offer=offer, answer="consent")
    children.consultant_assign(actor=service.coordinator, offer=offer, consultant=service.mediator2)
    children.child_meeting_book(
        actor=service.coordinator,
        offer=offer,
        starts_at=at,
        mode="in_person",
        place="Room 2, 5 High Street",
        brought_by=Participant.objects.get(case=service.case, full_name="Alice Smith"),
        confirm_warnings=True,
        confirm_reason=CHILD_CLASH,
    )
    ChildOffer.objects.filter(pk=offer.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    offer.refresh_from_db()
    offer = children.child_meeting_record(
        actor=service.mediator2,
        offer=offer,
        notes="Maya is scared of the handovers.",
        feedback="Maya would like to keep her Saturday swimming.",
        child_approved=True,
    )
    offer.refresh_from_db()
    assert offer.warnings_reason == CHILD_CLASH
    return offer


def test_erasing_the_case_file_blanks_why_a_child_meeting_was_booked_over_a_clash(
    service, monkeypatch
):
    offer = _child_met_after_a_clash(service)
    # The offer's own row only: the whole sweep is the test below.
    only = [t for t in erasure.TARGETS if t.model == "children.ChildOffer"]
    monkeypatch.setattr(erasure, "TARGETS", only)
    assert erasure.erase("case_file", [service.case.pk]) == 1
    offer.refresh_from_db()
    assert (offer.notes, offer.feedback) == ("[erased]", "[erased]")
    assert (offer.place, offer.warnings_reason) == ("", "")
    assert offer.held_at is not None  # the structure stays for the statistics


def test_the_sweep_erases_a_case_with_a_child_who_was_heard(service):
    offer = _child_met_after_a_clash(service)
    born = offer.child.date_of_birth
    _close(service.case, 7)
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    offer.refresh_from_db()
    assert (offer.notes, offer.feedback) == ("[erased]", "[erased]")
    assert (offer.place, offer.warnings_reason) == ("", "")
    assert offer.child.full_name == "Erased person"
    # The date of birth cannot be empty: only its year is kept.
    assert offer.child.date_of_birth == dt.date(born.year, 1, 1)
    assert chain_verify(organisation_id=service.organisation.pk).intact


def test_statistics_page_chart_and_csv(client, service):
    complaint_services.complaint_make_from_portal(
        actor=service.parties["bob"], case=service.case, about="Slow.", about_mediator=False
    )
    client.force_login(service.supervisor)
    url = reverse("records:statistics")
    page = client.get(url).content.decode()
    assert "Conversion from MIAM to mediation" in page and "Complaints" in page
    assert "<img" in page
    chart = client.get(reverse("records:statistics_chart", args=["complaints"]))
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg+xml")
    csv = client.get(reverse("records:statistics_csv")).content.decode()
    assert "Complaints,Received,1" in csv
    bad = client.get(url, {"start": "2026-12-01", "end": "2026-01-01"})
    assert bad.status_code == 422
    client.force_login(service.mediator)
    assert client.get(url).status_code == 404


def test_the_page_its_csv_and_charts_share_one_computation_refreshed_when_anything_changes(
    client, service, monkeypatch, django_capture_on_commit_callbacks
):
    import time_machine
    from django_tasks_db.models import DBTaskResult

    from accord.records import statistics
    from accord.records.tasks import statistics_refresh

    computed = []
    real = statistics.service_statistics

    def counting(*args, **kwargs):
        computed.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(statistics, "service_statistics", counting)
    client.force_login(service.supervisor)
    # One period named throughout, so the test means the same figures even when a jump in
    # time below crosses midnight (the page's default period ends today).
    today = timezone.localdate()
    period = {"start": f"{today.replace(month=1, day=1)}", "end": f"{today}"}
    csv_url = reverse("records:statistics_csv") + f"?start={period['start']}&end={period['end']}"
    page = client.get(reverse("records:statistics"), period).content.decode()
    assert "Figures worked out at" in page and "Work them out again now" in page
    client.get(csv_url)
    for chart in ("complaints", "miams"):
        assert (
            client.get(reverse("records:statistics_chart", args=[chart]), period).status_code == 200
        )
    assert len(computed) == 1
    assert "Complaints,Received,0" in client.get(csv_url).content.decode()

    # Nothing recorded since: the same figures, however long ago they were worked out.
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert "Complaints,Received,0" in client.get(csv_url).content.decode()
    assert len(computed) == 1

    # A complaint is recorded (with its audit event). Within ten minutes of the figures the
    # page still shows them, with their time; asking works them out again at once.
    complaint_services.complaint_make_from_portal(
        actor=service.parties["bob"], case=service.case, about="Slow.", about_mediator=False
    )
    assert "Complaints,Received,0" in client.get(csv_url).content.decode()
    assert len(computed) == 1
    client.get(reverse("records:statistics"), {**period, "refresh": "1"})
    assert len(computed) == 2
    assert "Complaints,Received,1" in client.get(csv_url).content.decode()

    # Later changes show by themselves once the figures are more than ten minutes old: the
    # first view after that still gets them at once, with their time (nobody waits for the
    # computation), and has the worker work them out again, once, for the views after it.
    complaint_services.complaint_make_from_portal(
        actor=service.parties["alice"], case=service.case, about="Late.", about_mediator=False
    )
    with time_machine.travel(timezone.now() + statistics.MAX_AGE + dt.timedelta(minutes=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert "Complaints,Received,1" in client.get(csv_url).content.decode()
            page = client.get(reverse("records:statistics"), period).content.decode()
            assert "Figures worked out at" in page
        assert len(computed) == 2
        jobs = DBTaskResult.objects.filter(task_path="accord.records.tasks.statistics_refresh")
        assert [job.args_kwargs["args"] for job in jobs] == [
            [service.organisation.pk, period["start"], period["end"]]
        ]
        # What the worker does with the job.
        assert statistics_refresh.call(service.organisation.pk, period["start"], period["end"])
        assert len(computed) == 3
        assert "Complaints,Received,2" in client.get(csv_url).content.decode()
    assert len(computed) == 3
    # Another period is its own computation.
    client.get(reverse("records:statistics"), {"start": "2026-01-01", "end": "2026-01-31"})
    assert len(computed) == 4


def test_erased_people_are_no_longer_found_by_search_or_matched_by_the_conflict_check(service):
    from accord.cases.selectors import CaseFilters, case_list
    from accord.intake.selectors import conflict_hits_find

    family = service.cases["family"]
    alice = Participant.objects.get(case=family, full_name="Alice Smith")
    Participant.objects.filter(pk=alice.pk).update(phone="07700 900777")
    alice.refresh_from_db()
    alice.set_keys()
    alice.save()
    # Someone with Alice's details on another case matches her before the erasure.
    other = service.cases["civil"]
    twin = Participant.objects.create(
        organisation=service.organisation,
        case=other,
        role="supporter",
        full_name="Alice Smith",
        email=alice.email,
        phone="07700 900777",
    )
    twin.set_keys()
    twin.save()

    def found(term: str) -> bool:
        cases = case_list(user=service.coordinator, filters=CaseFilters(q=term))
        return family.pk in {case.pk for case in cases}

    assert found("Alice Smith") and found(alice.email) and found("07700 900777")
    assert any(hit["other"] == alice.pk for hit in conflict_hits_find(case=other))

    _close(family, 7)
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    erased = Participant.objects.get(pk=alice.pk)
    assert (erased.name_key, erased.email_key, erased.phone_key) == ("", "", "")
    assert not found("Alice Smith") and not found(alice.email) and not found("07700 900777")
    assert not any(hit["other"] == alice.pk for hit in conflict_hits_find(case=other))


def test_people_erased_before_keys_were_blanked_are_blanked_by_the_migration(service):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accord.records.migrations.0002_blank_erased_peoples_keys")
    erased = Participant.objects.get(case=service.cases["family"], full_name="Alice Smith")
    Participant.objects.filter(pk=erased.pk).update(full_name="Erased person", email="", phone="")
    kept = Participant.objects.get(case=service.cases["family"], full_name="Bob Jones")
    assert erased.name_key and kept.name_key
    migration.blank(apps, None)
    erased.refresh_from_db()
    kept.refresh_from_db()
    assert (erased.name_key, erased.email_key, erased.phone_key) == ("", "", "")
    assert kept.name_key == "bob jones"


def test_the_sweep_erases_a_send_childs_name_and_keeps_only_the_year_of_birth(service):
    from accord.send.models import SendRecord
    from accord.send.tests.helpers import preliminary, send_case

    story = send_case(service)
    preliminary(service, story)
    born = SendRecord.objects.get(case=story.case).child_date_of_birth
    _close(story.case, 7)
    retention.retention_sweep(organisation=service.organisation, dry_run=False)
    record = SendRecord.objects.get(case=story.case)
    assert record.child_name == "Erased person"
    assert record.child_date_of_birth == dt.date(born.year, 1, 1)
    assert chain_verify(organisation_id=service.organisation.pk).intact
