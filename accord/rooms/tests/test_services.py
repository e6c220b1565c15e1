"""Posting, editing, withdrawing, marking and relaying messages, and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.rooms import selectors, services
from accord.rooms.models import Message, MessageRevision, Room, RoomKind
from accord.rooms.tests.helpers import joint, participant, private

pytestmark = pytest.mark.django_db


def _texts(user, room):
    return [m.body for m in selectors.room_messages(user=user, room=room)]


def test_every_case_gets_a_joint_room_and_a_private_room_per_party(service):
    rooms = services.rooms_ensure(case=service.case)
    assert sorted((r.kind, r.party_id) for r in rooms) == sorted(
        [
            (RoomKind.JOINT, None),
            (RoomKind.PRIVATE, participant(service, "alice").pk),
            (RoomKind.PRIVATE, participant(service, "bob").pk),
        ]
    )
    services.rooms_ensure(case=service.case)
    assert Room.objects.filter(case=service.case).count() == 3


def test_each_party_sees_the_joint_room_and_only_their_own_private_room(service):
    alice, bob = service.parties["alice"], service.parties["bob"]
    seen = {v.room.pk for v in selectors.rooms_for(user=alice, case=service.case)}
    assert seen == {joint(service).pk, private(service, "alice").pk}
    seen = {v.room.pk for v in selectors.rooms_for(user=bob, case=service.case)}
    assert seen == {joint(service).pk, private(service, "bob").pk}
    assert len(selectors.rooms_for(user=service.mediator, case=service.case)) == 3


@pytest.mark.parametrize(
    "who", ["admin", "coordinator", "supervisor", "safeguarding_lead", "mediator2"]
)
def test_staff_other_than_the_case_mediators_see_no_room(service, who):
    user = getattr(service, who)
    assert selectors.rooms_for(user=user, case=service.case) == []
    with pytest.raises(NotFoundOrHidden):
        selectors.room_messages(user=user, room=joint(service))
    with pytest.raises(NotFoundOrHidden):
        services.message_post(actor=user, room=joint(service), body="Hello")
    assert not Message.objects.exists()


def test_a_co_mediator_uses_every_room(service):
    Case.objects.filter(pk=service.case.pk).update(co_mediator=service.mediator2)
    service.case.refresh_from_db()
    assert len(selectors.rooms_for(user=service.mediator2, case=service.case)) == 3


def test_another_party_gets_404_for_a_private_room_and_nothing_is_written(service):
    room = private(service, "alice")
    services.message_post(actor=service.parties["alice"], room=room, body="Only for you")
    with pytest.raises(NotFoundOrHidden):
        selectors.room_messages(user=service.parties["bob"], room=room)
    with pytest.raises(NotFoundOrHidden):
        services.message_post(actor=service.parties["bob"], room=room, body="Let me in")
    with pytest.raises(NotFoundOrHidden):
        selectors.room_get_for(user=service.parties["bob"], case=service.case, room_id=room.pk)
    assert Message.objects.count() == 1


def test_a_party_of_another_case_or_service_sees_nothing(service, other_service):
    for user in (service.parties["carol"], other_service.parties["alice"], other_service.mediator):
        assert selectors.rooms_for(user=user, case=service.case) == []
        with pytest.raises(NotFoundOrHidden):
            selectors.room_messages(user=user, room=joint(service))


def test_a_participant_who_is_not_a_party_or_lost_portal_access_sees_nothing(service):
    alice = service.parties["alice"]
    Participant.objects.filter(user=alice).update(role="solicitor")
    assert selectors.rooms_for(user=alice, case=service.case) == []
    Participant.objects.filter(user=alice).update(role="party", portal_access=False)
    assert selectors.rooms_for(user=alice, case=service.case) == []
    with pytest.raises(NotFoundOrHidden):
        selectors.room_messages(user=alice, room=joint(service))


def test_a_message_posted_is_audited_without_its_text(service):
    message = services.message_post(
        actor=service.parties["alice"], room=private(service, "alice"), body="My secret worry"
    )
    assert message.author_participant == participant(service, "alice")
    event = AuditEvent.objects.get(action="room.message_posted")
    assert "My secret worry" not in str(event.details)
    assert _texts(service.mediator, private(service, "alice")) == ["My secret worry"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write a message."),
        ("x" * 5001, "A message must be 5,000 characters or fewer (this one is 5,001)."),
    ],
)
def test_an_empty_or_overlong_message_is_refused(service, body, message):
    with pytest.raises(ValidationFailed) as caught:
        services.message_post(actor=service.parties["alice"], room=joint(service), body=body)
    assert caught.value.field_errors["body"] == [message]
    assert not Message.objects.exists()


def test_parties_cannot_post_while_the_case_is_paused_but_the_mediator_can(service):
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    with pytest.raises(ValidationFailed) as caught:
        services.message_post(actor=service.parties["alice"], room=joint(service), body="Hi")
    assert caught.value.field_errors["__all__"] == [services.PAUSED_FOR_PARTIES]
    # The words given to a party never reveal that safeguarding is involved.
    assert "safeguarding" not in services.PAUSED_FOR_PARTIES.lower()
    assert not Message.objects.exists()
    services.message_post(actor=service.mediator, room=joint(service), body="We are pausing.")
    assert Message.objects.count() == 1


def test_nobody_posts_on_a_closed_case(service):
    Case.objects.filter(pk=service.case.pk).update(stage="closed")
    with pytest.raises(ValidationFailed):
        services.message_post(actor=service.mediator, room=joint(service), body="Hello")
    assert not Message.objects.exists()


def test_the_author_edits_within_five_minutes_and_the_old_wording_is_kept(service):
    start = timezone.now()
    alice = service.parties["alice"]
    message = services.message_post(actor=alice, room=joint(service), body="First", now=start)
    services.message_edit(
        actor=alice, message=message, body="Second", now=start + dt.timedelta(minutes=4, seconds=59)
    )
    message.refresh_from_db()
    assert message.body == "Second"
    assert message.edited_at is not None
    assert list(MessageRevision.objects.values_list("body", flat=True)) == ["First"]
    [mediator_view] = selectors.room_messages(user=service.mediator, room=joint(service))
    assert mediator_view.earlier_wordings == ["First"]
    [bob_view] = selectors.room_messages(user=service.parties["bob"], room=joint(service))
    assert bob_view.body == "Second"
    assert bob_view.earlier_wordings == []


def test_after_five_minutes_a_message_is_fixed_in_the_record(service):
    start = timezone.now()
    alice = service.parties["alice"]
    message = services.message_post(actor=alice, room=joint(service), body="First", now=start)
    later = start + dt.timedelta(minutes=5, seconds=1)
    with pytest.raises(ValidationFailed) as caught:
        services.message_edit(actor=alice, message=message, body="Changed", now=later)
    assert "fixed in the record" in caught.value.field_errors["__all__"][0]
    with pytest.raises(ValidationFailed):
        services.message_withdraw(actor=alice, message=message, now=later)
    message.refresh_from_db()
    assert (message.body, message.edited_at, message.withdrawn_at) == ("First", None, None)
    assert not MessageRevision.objects.exists()


def test_the_window_follows_the_real_clock_when_none_is_given(service, monkeypatch):
    alice = service.parties["alice"]
    message = services.message_post(actor=alice, room=joint(service), body="First")
    future = timezone.now() + dt.timedelta(minutes=6)
    monkeypatch.setattr("django.utils.timezone.now", lambda: future)
    with pytest.raises(ValidationFailed):
        services.message_edit(actor=alice, message=message, body="Changed")
    [view] = selectors.room_messages(user=alice, room=joint(service))
    assert view.can_change is False


def test_only_the_author_may_edit_or_withdraw(service):
    message = services.message_post(
        actor=service.parties["alice"], room=joint(service), body="Mine"
    )
    for other in (service.parties["bob"], service.mediator):
        with pytest.raises(NotPermitted):
            services.message_edit(actor=other, message=message, body="Theirs")
        with pytest.raises(NotPermitted):
            services.message_withdraw(actor=other, message=message)
    message.refresh_from_db()
    assert (message.body, message.withdrawn_at) == ("Mine", None)


def test_a_withdrawn_message_shows_withdrawn_to_others_and_stays_for_the_mediators(service):
    alice = service.parties["alice"]
    message = services.message_post(actor=alice, room=joint(service), body="Oops")
    services.message_withdraw(actor=alice, message=message)
    [bob_view] = selectors.room_messages(user=service.parties["bob"], room=joint(service))
    assert (bob_view.body, bob_view.withdrawn) == ("", True)
    [mediator_view] = selectors.room_messages(user=service.mediator, room=joint(service))
    assert (mediator_view.body, mediator_view.withdrawn) == ("Oops", True)
    with pytest.raises(ValidationFailed):
        services.message_edit(actor=alice, message=message, body="Again")


def test_the_mediator_relays_verbatim_and_the_receiver_sees_only_the_relayed_text(service):
    alice = service.parties["alice"]
    original = services.message_post(
        actor=alice, room=private(service, "alice"), body="I could accept alternate weekends"
    )
    copy = services.message_relay(
        actor=service.mediator,
        message=original,
        to_room=private(service, "bob"),
        mode="verbatim",
    )
    assert copy.body == "I could accept alternate weekends"
    # Later edits of the original do not follow it: verbatim copies the text at that moment.
    services.message_edit(actor=alice, message=original, body="Only every other weekend")
    [bob_view] = selectors.room_messages(user=service.parties["bob"], room=private(service, "bob"))
    assert bob_view.body == "I could accept alternate weekends"
    assert (bob_view.author, bob_view.from_mediator, bob_view.is_relay) == (
        "The mediator",
        True,
        True,
    )
    assert bob_view.relay is None
    assert _texts(alice, private(service, "alice")) == ["Only every other weekend"]
    [mediator_view] = selectors.room_messages(user=service.mediator, room=private(service, "bob"))
    assert mediator_view.relay is not None
    assert mediator_view.relay.from_message_id == original.pk
    event = AuditEvent.objects.get(action="room.message_relayed")
    assert "weekend" not in str(event.details)


def test_a_reworded_relay_needs_text_and_shows_only_the_new_wording(service):
    original = services.message_post(
        actor=service.parties["alice"], room=private(service, "alice"), body="He is impossible"
    )
    with pytest.raises(ValidationFailed) as caught:
        services.message_relay(
            actor=service.mediator, message=original, to_room=joint(service), mode="reworded"
        )
    assert caught.value.field_errors["text"] == ["Write a message."]
    services.message_relay(
        actor=service.mediator,
        message=original,
        to_room=joint(service),
        mode="reworded",
        text="Alice would like to talk about communication.",
    )
    texts = _texts(service.parties["bob"], joint(service))
    assert texts == ["Alice would like to talk about communication."]


def test_a_message_not_to_be_passed_on_or_withdrawn_cannot_be_relayed(service):
    alice = service.parties["alice"]
    marked = services.message_post(
        actor=alice, room=private(service, "alice"), body="Keep this", not_to_be_passed_on=True
    )
    later_marked = services.message_post(actor=alice, room=private(service, "alice"), body="Also")
    services.message_mark_not_to_pass(actor=alice, message=later_marked)
    withdrawn = services.message_post(actor=alice, room=private(service, "alice"), body="Gone")
    services.message_withdraw(actor=alice, message=withdrawn)
    for message in (marked, later_marked, withdrawn):
        with pytest.raises(ValidationFailed):
            services.message_relay(
                actor=service.mediator,
                message=message,
                to_room=private(service, "bob"),
                mode="verbatim",
            )
    assert not Message.objects.filter(room=private(service, "bob")).exists()


def test_relays_are_refused_from_the_joint_room_to_the_same_room_and_by_parties(service):
    alice = service.parties["alice"]
    in_joint = services.message_post(actor=alice, room=joint(service), body="Hello all")
    in_private = services.message_post(actor=alice, room=private(service, "alice"), body="Hi")
    with pytest.raises(ValidationFailed):
        services.message_relay(
            actor=service.mediator,
            message=in_joint,
            to_room=private(service, "bob"),
            mode="verbatim",
        )
    with pytest.raises(ValidationFailed):
        services.message_relay(
            actor=service.mediator,
            message=in_private,
            to_room=private(service, "alice"),
            mode="verbatim",
        )
    with pytest.raises(NotPermitted):
        services.message_relay(
            actor=alice, message=in_private, to_room=joint(service), mode="verbatim"
        )
    with pytest.raises(NotFoundOrHidden):
        services.message_relay(
            actor=service.parties["bob"],
            message=in_private,
            to_room=private(service, "bob"),
            mode="verbatim",
        )
    with pytest.raises(NotFoundOrHidden):
        services.message_relay(
            actor=service.mediator2,
            message=in_private,
            to_room=joint(service),
            mode="verbatim",
        )
    assert Message.objects.count() == 2


def test_a_relay_to_a_room_of_another_case_is_refused(service):
    other = services.rooms_ensure(case=service.cases["civil"])[0]
    original = services.message_post(
        actor=service.parties["alice"], room=private(service, "alice"), body="Hi"
    )
    with pytest.raises(NotFoundOrHidden):
        services.message_relay(
            actor=service.mediator, message=original, to_room=other, mode="verbatim"
        )
    assert Message.objects.count() == 1


def test_only_the_author_marks_and_only_in_a_private_room(service):
    alice = service.parties["alice"]
    message = services.message_post(actor=alice, room=private(service, "alice"), body="Hi")
    with pytest.raises(NotPermitted):
        services.message_mark_not_to_pass(actor=service.mediator, message=message)
    in_joint = services.message_post(actor=alice, room=joint(service), body="Hi all")
    with pytest.raises(ValidationFailed):
        services.message_mark_not_to_pass(actor=alice, message=in_joint)
    assert not Message.objects.filter(not_to_be_passed_on=True).exists()
    [view] = selectors.room_messages(user=alice, room=private(service, "alice"))
    assert view.not_to_be_passed_on is False


def test_unread_counts_leave_out_ones_own_and_what_was_read(service):
    alice, bob = service.parties["alice"], service.parties["bob"]
    room = joint(service)
    services.message_post(actor=alice, room=room, body="One")
    last = services.message_post(actor=alice, room=room, body="Two")
    unread = {v.room.pk: v.unread for v in selectors.rooms_for(user=bob, case=service.case)}
    assert unread[room.pk] == 2
    assert {v.room.pk: v.unread for v in selectors.rooms_for(user=alice, case=service.case)}[
        room.pk
    ] == 0
    services.room_mark_read(user=bob, room=room, up_to_id=last.pk)
    services.message_post(actor=alice, room=room, body="Three")
    unread = {v.room.pk: v.unread for v in selectors.rooms_for(user=bob, case=service.case)}
    assert unread[room.pk] == 1


def test_room_messages_after_an_id_returns_only_newer_ones(service):
    room = joint(service)
    first = services.message_post(actor=service.mediator, room=room, body="One")
    services.message_post(actor=service.mediator, room=room, body="Two")
    views = selectors.room_messages(user=service.parties["bob"], room=room, after_id=first.pk)
    assert [v.body for v in views] == ["Two"]
