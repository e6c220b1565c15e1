"""The workspace's sections, its summary, links back to a section, and the timeline in words."""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import kinds, services, timeline, workspace
from accord.cases.models import Participant
from accord.cases.workspace import section_url
from accord.rooms import services as room_services
from accord.rooms.models import Room, RoomKind

pytestmark = pytest.mark.django_db


def _tabs(page: str) -> dict[str, str]:
    """The workspace's tabs: {label: href}."""
    nav = re.search(r'<nav class="workspace-tabs".*?</nav>', page, re.S)
    assert nav is not None
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(0))
    }


def _current(page: str) -> str:
    nav = page.split('<nav class="workspace-tabs"', 1)[1].split("</nav>", 1)[0]
    match = re.search(r'<a href="[^"]+" aria-current="page"[^>]*>([^<]+)</a>', nav)
    assert match is not None
    return match.group(1)


# Sections ---------------------------------------------------------------------------------------


def test_the_workspace_opens_on_the_summary_with_a_tab_per_section(client, service):
    client.force_login(service.mediator)
    page = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    tabs = _tabs(page)
    assert list(tabs) == [
        "Summary",
        "People",
        "Preparation",
        "Mediation",
        "Outcomes",
        "Safeguarding",
        "Documents",
        "Fees",
        "Timeline",
    ]
    assert tabs["Mediation"] == section_url(service.case, "mediation")
    assert _current(page) == "Summary"
    # One section at a time: the people's details and the panels of other sections are not here.
    assert "2 Open Road, Leeds" not in page
    assert 'id="timeline-heading"' not in page


@pytest.mark.parametrize(
    ("section", "present", "absent"),
    [
        ("people", "2 Open Road, Leeds", 'id="next-heading"'),
        ("timeline", 'id="timeline-heading"', "2 Open Road, Leeds"),
        ("preparation", 'id="miams-heading"', 'id="timeline-heading"'),
    ],
)
def test_a_tab_is_a_plain_get_that_shows_only_its_section(
    client, service, section, present, absent
):
    client.force_login(service.mediator)
    response = client.get(reverse("cases:detail", args=[service.case.pk]), {"section": section})
    page = response.content.decode()
    assert response.status_code == 200
    assert _current(page) == workspace.SECTIONS[section]
    assert present in page
    assert absent not in page


def test_an_unknown_section_falls_back_to_the_summary(client, service):
    client.force_login(service.mediator)
    for raw in ("nonsense", "", "SUMMARY", "people\x00"):
        response = client.get(reverse("cases:detail", args=[service.case.pk]), {"section": raw})
        assert response.status_code == 200
        assert response.context["section"].name == "summary"


def test_sections_follow_the_parts_that_apply_to_the_kind(client, service):
    family = {s.name: s for s in workspace.sections_for(service.mediator, service.case)}
    civil_case = service.cases["civil"]
    civil = {s.name: s for s in workspace.sections_for(service.mediator2, civil_case)}
    assert "miam" in family["preparation"].parts
    assert "screening" in family["preparation"].parts
    assert "miam" not in civil["preparation"].parts
    assert "screening" not in civil["preparation"].parts
    assert civil["preparation"].parts == ("suitability", "premediation", "agreement")
    client.force_login(service.mediator2)
    response = client.get(section_url(civil_case, "preparation"))
    assert response.context["section"].part_labels == [
        "Suitability decision",
        "Pre-mediation meetings",
        "Agreement to Mediate",
    ]


def test_a_section_with_no_part_that_applies_is_not_offered(client, service, monkeypatch):
    only_summary = [p for p in kinds.all_parts() if p.section == "summary"]
    monkeypatch.setattr(kinds, "parts_for", lambda kind: only_summary)
    client.force_login(service.mediator)
    url = reverse("cases:detail", args=[service.case.pk])
    page = client.get(url).content.decode()
    assert list(_tabs(page)) == ["Summary", "People", "Timeline"]
    # Asking for a section that does not apply shows the summary.
    assert client.get(url, {"section": "mediation"}).context["section"].name == "summary"


def test_the_safeguarding_section_follows_the_safeguarding_policy(service, monkeypatch):
    from accord.cases import policy

    real = policy.can
    monkeypatch.setattr(
        policy,
        "can",
        lambda user, action, case: (
            False if action in ("view_workspace", "view_restricted") else real(user, action, case)
        ),
    )
    names = [s.name for s in workspace.sections_for(service.mediator, service.case)]
    assert "safeguarding" not in names


# The summary ------------------------------------------------------------------------------------


def test_the_summary_shows_stage_next_steps_dates_team_and_parties(client, service):
    client.force_login(service.mediator)
    response = client.get(reverse("cases:detail", args=[service.case.pk]))
    page = response.content.decode()
    case = service.case
    assert case.stage_label in page
    assert "What is next" in page
    steps = response.context["summary"].steps
    assert steps and all(step.text in page for step in steps)
    assert "Key dates" in page and "Opened" in page
    assert service.mediator.full_name in page
    assert "Alice Smith" in page and "Bob Jones" in page
    # Only names: the confidential address stays in the people section, and even there withheld.
    assert "1 Hidden Lane" not in page


def test_urgent_next_steps_come_first_and_link_where_they_are_done(client, service, monkeypatch):
    from accord.cases import progress

    monkeypatch.setitem(
        progress._NEXT_STEPS,
        "documents",
        lambda case: [
            progress.NextStep("Send the letter", "documents"),
            progress.NextStep("Deal with the block", "documents", "/somewhere/", urgent=True),
        ],
    )
    client.force_login(service.mediator)
    page = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    block = page.index("Deal with the block")
    assert block < page.index("Send the letter")
    assert '<a href="/somewhere/">Deal with the block</a>' in page
    assert "Urgent" in page[:block]


def test_moving_the_case_is_a_secondary_link_not_a_form_on_the_summary(client, service):
    client.force_login(service.mediator)
    page = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    move = reverse("cases:move_stage", args=[service.case.pk])
    assert f'href="{move}"' in page
    assert f'action="{move}"' not in page
    assert 'name="to_stage"' not in page
    assert "Move the case by hand" in page


def test_the_summary_lists_the_next_appointment_and_alerts(client, service):
    from accord.meetings.tests.helpers import book

    case = service.case
    miam = book(service)
    type(case).objects.filter(pk=case.pk).update(is_paused=True)
    client.force_login(service.mediator)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    page = response.content.decode()
    dates = {date.label: date for date in response.context["summary"].dates}
    assert dates["Next MIAM"].at == miam.starts_at
    assert dates["Next MIAM"].url == section_url(case, "preparation")
    assert "paused while a safeguarding investigation is open" in page
    assert 'id="alerts-heading"' in page


def test_the_summary_has_no_alerts_when_all_is_well(client, service):
    client.force_login(service.mediator)
    response = client.get(reverse("cases:detail", args=[service.case.pk]))
    assert response.context["summary"].alerts == []
    assert 'id="alerts-heading"' not in response.content.decode()


# Landing back on a section -------------------------------------------------------------------


def test_section_url():
    assert section_url(7, "summary") == reverse("cases:detail", args=[7])
    assert section_url(7, "people", "participant-3") == (
        reverse("cases:detail", args=[7]) + "?section=people#participant-3"
    )
    with pytest.raises(ValueError, match="section"):
        section_url(7, "elsewhere")


def test_changing_a_participant_lands_on_the_people_section(client, service):
    case = service.case
    person = Participant.objects.filter(case=case).earliest("id")
    client.force_login(service.mediator)
    response = client.post(
        reverse("cases:participant_add", args=[case.pk]),
        {"role": "supporter", "full_name": "Sam Helper"},
    )
    assert response.status_code == 302
    assert response["Location"] == section_url(case, "people")
    response = client.post(reverse("cases:participant_invite", args=[case.pk, person.pk]))
    assert response["Location"] == section_url(case, "people", f"participant-{person.pk}")


def test_booking_a_miam_lands_on_the_preparation_section(client, service):
    from accord.meetings.tests.test_miam_views import _book_data

    client.force_login(service.coordinator)
    response = client.post(reverse("meetings:book", args=[service.case.pk]), _book_data(service))
    assert response.status_code == 302
    assert response["Location"] == section_url(service.case, "preparation")


# The timeline in words ---------------------------------------------------------------------


def _texts(client, case, **params) -> list[str]:
    url = reverse("cases:detail", args=[case.pk])
    response = client.get(url, {"section": "timeline", **params})
    assert response.status_code == 200
    return [entry.text for entry in response.context["timeline"]]


def test_a_relayed_message_reads_as_a_mediator_would_say_it(client, service):
    case = service.case
    rooms = room_services.rooms_ensure(case=case)
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    alice_room = next(r for r in rooms if r.party_id == alice.pk)
    bob_room = next(r for r in rooms if r.party_id == bob.pk)
    joint = Room.objects.get(case=case, kind=RoomKind.JOINT)
    message = room_services.message_post(
        actor=service.parties["alice"], room=alice_room, body="Secret words"
    )
    room_services.message_relay(
        actor=service.mediator, message=message, to_room=bob_room, mode="reworded", text="Kind"
    )
    room_services.message_post(actor=service.mediator, room=joint, body="Hello all")
    client.force_login(service.mediator)
    texts = _texts(client, case)
    name = service.mediator.full_name
    assert texts[0] == f"{name} posted a message in the joint room"
    assert texts[1] == f"{name} relayed a reworded message to Bob Jones's private room"
    assert texts[2] == "Alice Smith posted a message in Alice Smith's private room"
    page = client.get(section_url(case, "timeline")).content.decode()
    assert "Secret words" not in page and "Kind" not in texts[1]
    assert "Message " not in page


def test_case_events_read_in_words(client, service):
    case = service.case
    services.case_change_stage(
        actor=service.mediator, case=case, to_stage="miam", reason="Both agreed."
    )
    services.case_update_details(actor=service.mediator, case=case, title="New", summary="S")
    client.force_login(service.mediator)
    texts = _texts(client, case)
    name = service.mediator.full_name
    assert texts[0] == f"{name} changed the case's title and summary"
    assert texts[1] == f"{name} moved the case from Enquiry to MIAM: Both agreed."
    opened = f"{service.coordinator.full_name} opened the case (Family: child arrangements)"
    assert texts[-1] == opened
    assert f"{service.coordinator.full_name} added Bob Jones to the case" in texts


def test_an_unknown_action_has_a_readable_fallback(client, service):
    with transaction.atomic():
        audit_record(
            organisation_id=service.organisation.pk,
            actor=service.mediator,
            action="widgets.thing_done",
            target=service.case,
            case_id=service.case.pk,
        )
    client.force_login(service.mediator)
    text = _texts(client, service.case)[0]
    assert text.startswith(f"{service.mediator.full_name}: widgets thing done")


def test_every_audit_action_in_the_code_has_a_sentence():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "browser_tests" in path.parts:
            continue
        found.update(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
        found.update(re.findall(r'"((?:agenda|outcomes|mediation)\.[a-z_]+)"', path.read_text()))
    not_on_cases = {
        "account.invitation_accepted",
        "account.invited",
        "api_token.created",
        "api_token.revoked",
        "api_token.revoked_all",
        "calendar.bank_holidays_imported",
        "calendar.override_added",
        "calendar.override_removed",
        "deadline_rule.added",
        "agreements.template_saved",
        "mediator_profile.saved",
        "membership.granted",
        "membership.revoked",
        "organisation.created",
        "organisation.updated",
        "organisation.kinds_offered_set",
        "organisation.party_api_tokens_set",
        "staff.invited",
        "staff.invitation_resent",
        "staff.invitation_withdrawn",
        "staff.joined",
        "staff.roles_changed",
        "staff.suspended",
        "staff.reinstated",
        "staff.removed",
    }
    missing = sorted(a for a in found - not_on_cases if a not in timeline._ACTIONS)
    assert missing == []


def test_restricted_events_say_what_happened_but_not_what_was_recorded(client, service):
    with transaction.atomic():
        audit_record(
            organisation_id=service.organisation.pk,
            actor=service.mediator,
            action="safeguarding.disclosure_recorded",
            target=service.case,
            case_id=service.case.pk,
            details={"summary": "Very private words"},
            visibility="restricted",
        )
    client.force_login(service.mediator)
    page = client.get(section_url(service.case, "timeline")).content.decode()
    assert f"{service.mediator.full_name} recorded a disclosure" in page
    assert "Very private words" not in page
    client.force_login(service.coordinator)
    page = client.get(section_url(service.case, "timeline")).content.decode()
    assert "recorded a disclosure" not in page
    page = client.get(reverse("cases:timeline", args=[service.case.pk])).content.decode()
    assert "recorded a disclosure" not in page
    # The filter by part does not reveal it either.
    page = client.get(
        reverse("cases:timeline", args=[service.case.pk]), {"part": "safeguarding"}
    ).content.decode()
    assert "recorded a disclosure" not in page


def test_the_timeline_is_filtered_by_part(client, service):
    case = service.case
    rooms = room_services.rooms_ensure(case=case)
    joint = next(r for r in rooms if r.kind == RoomKind.JOINT)
    room_services.message_post(actor=service.mediator, room=joint, body="Hello")
    client.force_login(service.mediator)
    rooms_only = _texts(client, case, part="rooms")
    assert rooms_only == [f"{service.mediator.full_name} posted a message in the joint room"]
    case_only = _texts(client, case, part="case")
    assert rooms_only[0] not in case_only
    assert any("opened the case" in text for text in case_only)
    whole = client.get(reverse("cases:timeline", args=[case.pk]), {"part": "rooms"})
    assert [e.text for e in whole.context["timeline"]] == rooms_only
    page = client.get(section_url(case, "timeline")).content.decode()
    assert "?section=timeline&amp;part=rooms" in page
    assert "part=miam" in page  # a family case: MIAMs apply
    civil = service.cases["civil"]
    client.force_login(service.mediator2)
    page = client.get(section_url(civil, "timeline")).content.decode()
    assert "part=miam" not in page and "part=rooms" in page


def test_an_unknown_part_shows_everything_with_a_notice(client, service):
    client.force_login(service.mediator2)
    civil = service.cases["civil"]
    response = client.get(reverse("cases:timeline", args=[civil.pk]), {"part": "miam"})
    assert response.status_code == 200
    assert "not recognised" in response.content.decode()
    assert response.context["part"] == ""


def test_timeline_queries_do_not_grow_with_named_events(client, service):
    case = service.case
    rooms = room_services.rooms_ensure(case=case)
    joint = next(r for r in rooms if r.kind == RoomKind.JOINT)
    url = section_url(case, "timeline")
    client.force_login(service.mediator)

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    room_services.message_post(actor=service.mediator, room=joint, body="One")
    few = count()
    for number in range(15):
        room_services.message_post(actor=service.mediator, room=joint, body=f"More {number}")
        services.participant_add(
            actor=service.mediator, case=case, role="supporter", full_name=f"Helper {number}"
        )
    assert count() == few


def test_the_participant_form_goes_back_to_the_people_section(client, service):
    client.force_login(service.mediator)
    page = client.get(reverse("cases:participant_add", args=[service.case.pk])).content.decode()
    assert f'href="{section_url(service.case, "people")}"' in page.replace("&amp;", "&")


def test_an_open_safeguarding_concern_is_an_alert_only_for_those_who_may_read_it(client, service):
    from accord.safeguarding.tests.helpers import ALLEGATION, raise_concern

    raise_concern(service)
    url = reverse("cases:detail", args=[service.case.pk])
    client.force_login(service.mediator)
    page = client.get(url).content.decode()
    assert "1 open safeguarding concern." in page
    assert ALLEGATION not in page
    client.force_login(service.coordinator)
    page = client.get(url).content.decode()
    assert "safeguarding concern" not in page


def test_a_not_suitable_decision_is_an_alert(client, service):
    from accord.meetings.models import SuitabilityDecision

    SuitabilityDecision.objects.create(
        organisation=service.organisation,
        case=service.case,
        route="not_suitable",
        reasons="Private reasons from the screening",
        decided_by=service.mediator,
        decided_at=timezone.now(),
    )
    client.force_login(service.mediator)
    page = client.get(reverse("cases:detail", args=[service.case.pk])).content.decode()
    assert "found not suitable for mediation" in page
    assert "Private reasons" not in page
