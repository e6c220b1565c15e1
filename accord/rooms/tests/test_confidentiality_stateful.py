"""A property-based proof that no party ever sees another party's private words unless relayed.

Hypothesis drives random sequences of posts, relays (verbatim and reworded), edits,
withdrawals, "not to be passed on" marks, the clock moving on, a party's role or portal access
being taken away and given back, and a co-mediator joining and leaving. Every text is a unique
marker, so finding a text tells us exactly where it came from. After every step each party's
view is read twice, through the selectors the pages use and through the API, and checked
against a model of what they may see.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from accord.accounts.models import User
from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.rooms import selectors, services
from accord.rooms.models import Message, Room
from accord.testing.factories import party_with_login, ready_for_sessions

pytestmark = pytest.mark.django_db

PARTIES = ("alice", "bob")
ACTORS = ("alice", "bob", "mediator", "mediator2", "coordinator")
ROOMS = ("joint", "alice", "bob")  # the joint room, and each party's private room
_markers = itertools.count()


def _marker(kind: str) -> str:
    return f"{kind}-{next(_markers)}-text"


class RoomsMachine(RuleBasedStateMachine):
    """One fresh case per example, rolled back afterwards; a model of who may see what."""

    service: Any = None  # set by the test before the machine runs

    messages = Bundle("messages")
    private_messages = Bundle("private_messages")

    def __init__(self) -> None:
        super().__init__()
        svc = self.service
        # Each example runs inside its own savepoint, so nothing leaks into the next one.
        self.savepoint = transaction.savepoint()
        self.coordinator = svc.coordinator
        case = case_services.case_open(
            actor=svc.coordinator,
            organisation=svc.organisation,
            kind="family_children",
            title="Example",
            lead_mediator=svc.mediator,
        )
        self.case_id = case.pk
        self.participants: dict[str, Participant] = {}
        self.users: dict[str, int] = {
            "mediator": svc.mediator.pk,
            "mediator2": svc.mediator2.pk,
            "coordinator": svc.coordinator.pk,
        }
        for name in PARTIES:
            participant, user = party_with_login(
                case, actor=svc.coordinator, name=name.title(), email=f"{name}@rooms.example"
            )
            self.participants[name] = participant
            self.users[name] = user.pk
        # A joint decision: parties may write in the joint room (the gate is tested elsewhere).
        ready_for_sessions(case)
        rooms = {r.party_id: r for r in services.rooms_ensure(case=case)}
        self.rooms = {"joint": rooms[None].pk}
        self.rooms.update({n: rooms[p.pk].pk for n, p in self.participants.items()})
        self.room_key = {pk: key for key, pk in self.rooms.items()}
        self.clients = {name: self._client(name) for name in PARTIES}
        # The model.
        self.now = timezone.now()
        self.is_party = dict.fromkeys(PARTIES, True)
        self.has_portal = dict.fromkeys(PARTIES, True)
        self.co_mediator = False
        self.msgs: dict[int, dict[str, Any]] = {}
        self.written: dict[str, set[str]] = {key: set() for key in ROOMS}
        self.relayed_to: dict[str, set[str]] = {key: set() for key in ROOMS}

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    # --- Helpers -----------------------------------------------------------------------

    def _client(self, name: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(pk=self.users[name]))
        return client

    def _user(self, name: str) -> User:
        # A fresh object every time, so no cached role or membership outlives a change.
        return User.objects.get(pk=self.users[name])

    def _case(self) -> Case:
        return Case.objects.get(pk=self.case_id)

    def _room(self, key: str) -> Room:
        return Room.objects.get(pk=self.rooms[key])

    def may_use(self, actor: str, room: str) -> bool:
        if actor == "mediator":
            return True
        if actor == "mediator2":
            return self.co_mediator
        if actor in PARTIES:
            return self.is_party[actor] and self.has_portal[actor] and room in ("joint", actor)
        return False

    def _in_window(self, msg: dict[str, Any]) -> bool:
        return self.now - msg["created_at"] <= services.CHANGE_WINDOW

    # --- Rules -------------------------------------------------------------------------

    def _post(self, actor: str, room: str, not_to_pass: bool) -> int | None:
        text = _marker(f"{actor}-in-{room}")
        expected = self.may_use(actor, room)
        try:
            message = services.message_post(
                actor=self._user(actor),
                room=self._room(room),
                body=text,
                not_to_be_passed_on=not_to_pass,
                now=self.now,
            )
        except NotFoundOrHidden:
            assert not expected, f"{actor} could not post in {room}"
            return None
        assert expected, f"{actor} posted in {room} without being allowed to"
        self.msgs[message.pk] = {
            "room": room,
            "author": actor,
            "body": text,
            "withdrawn": False,
            "marked": not_to_pass and room != "joint",
            "created_at": self.now,
        }
        self.written[room].add(text)
        return message.pk

    @rule(
        target=messages,
        actor=st.sampled_from(ACTORS),
        room=st.sampled_from(ROOMS),
        not_to_pass=st.booleans(),
    )
    def post(self, actor: str, room: str, not_to_pass: bool) -> Any:
        message_id = self._post(actor, room, not_to_pass)
        return multiple() if message_id is None else message_id

    # Private-room messages by their own party are what relays are about: every example starts
    # with some, and they can be added at any step.
    @initialize(target=private_messages, not_to_pass=st.booleans())
    def alice_starts_in_private(self, not_to_pass: bool) -> Any:
        return self._post("alice", "alice", not_to_pass)

    @initialize(target=private_messages, not_to_pass=st.booleans())
    def bob_starts_in_private(self, not_to_pass: bool) -> Any:
        return self._post("bob", "bob", not_to_pass)

    @rule(target=private_messages, name=st.sampled_from(PARTIES), not_to_pass=st.booleans())
    def post_in_own_private_room(self, name: str, not_to_pass: bool) -> Any:
        message_id = self._post(name, name, not_to_pass)
        return multiple() if message_id is None else message_id

    @rule(
        message_id=st.one_of(private_messages, messages),
        actor=st.sampled_from(("mediator", "mediator", "mediator2", "alice", "bob")),
        to_room=st.sampled_from(ROOMS),
        reworded=st.booleans(),
    )
    def relay(self, message_id: int, actor: str, to_room: str, reworded: bool) -> None:
        msg = self.msgs[message_id]
        text = _marker(f"reworded-to-{to_room}") if reworded else msg["body"]
        expected = (
            actor in ("mediator", "mediator2")
            and self.may_use(actor, msg["room"])
            and msg["room"] != "joint"
            and not msg["marked"]
            and not msg["withdrawn"]
            and to_room != msg["room"]
        )
        before = Message.objects.count()
        try:
            copy = services.message_relay(
                actor=self._user(actor),
                message=Message.objects.get(pk=message_id),
                to_room=self._room(to_room),
                mode="reworded" if reworded else "verbatim",
                text=text if reworded else "",
                now=self.now,
            )
        except DomainError:
            assert not expected, f"{actor} could not relay a message from {msg['room']}"
            assert Message.objects.count() == before
            return
        assert expected, f"{actor} relayed a message that must not be relayed: {msg}"
        assert copy.body == text
        self.msgs[copy.pk] = {
            "room": to_room,
            "author": actor,
            "body": text,
            "withdrawn": False,
            "marked": False,
            "created_at": self.now,
        }
        self.relayed_to[to_room].add(text)

    @rule(
        message_id=st.one_of(private_messages, messages),
        actor=st.sampled_from(ACTORS),
        action=st.sampled_from(("edit", "withdraw", "mark_not_to_pass")),
    )
    def change_message(self, message_id: int, actor: str, action: str) -> None:
        getattr(self, action)(message_id, actor)

    def edit(self, message_id: int, actor: str) -> None:
        msg = self.msgs[message_id]
        text = _marker(f"edit-by-{actor}-in-{msg['room']}")
        expected = (
            actor == msg["author"]
            and self.may_use(actor, msg["room"])
            and not msg["withdrawn"]
            and self._in_window(msg)
        )
        try:
            services.message_edit(
                actor=self._user(actor),
                message=Message.objects.get(pk=message_id),
                body=text,
                now=self.now,
            )
        except DomainError:
            assert not expected, f"{actor} could not edit their own message"
            assert Message.objects.get(pk=message_id).body == msg["body"]
            return
        assert expected, f"{actor} edited a message they may not edit"
        msg["body"] = text
        if msg["room"] in self.written and text:
            self.written[msg["room"]].add(text)

    def withdraw(self, message_id: int, actor: str) -> None:
        msg = self.msgs[message_id]
        expected = (
            actor == msg["author"]
            and self.may_use(actor, msg["room"])
            and not msg["withdrawn"]
            and self._in_window(msg)
        )
        try:
            services.message_withdraw(
                actor=self._user(actor), message=Message.objects.get(pk=message_id), now=self.now
            )
        except DomainError:
            assert not expected, f"{actor} could not withdraw their own message"
            assert Message.objects.get(pk=message_id).withdrawn_at is None or msg["withdrawn"]
            return
        assert expected, f"{actor} withdrew a message they may not withdraw"
        msg["withdrawn"] = True

    def mark_not_to_pass(self, message_id: int, actor: str) -> None:
        msg = self.msgs[message_id]
        expected = (
            actor == msg["author"] and self.may_use(actor, msg["room"]) and msg["room"] != "joint"
        )
        try:
            services.message_mark_not_to_pass(
                actor=self._user(actor), message=Message.objects.get(pk=message_id)
            )
        except DomainError:
            assert not expected, f"{actor} could not mark their own private message"
            return
        assert expected, f"{actor} marked a message they may not mark"
        msg["marked"] = True

    @rule(minutes=st.integers(min_value=0, max_value=6))
    def time_passes(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)

    @rule(
        name=st.sampled_from(PARTIES),
        change=st.sampled_from(("party", "solicitor", "supporter", "portal", "no_portal")),
    )
    def change_access(self, name: str, change: str) -> None:
        if change.endswith("portal"):
            self.change_portal_access(name, change == "portal")
        else:
            self.change_role(name, change)

    def change_role(self, name: str, role: str) -> None:
        case_services.participant_update(
            actor=self.coordinator, participant=self.participants[name], role=role
        )
        self.is_party[name] = role == "party"

    def change_portal_access(self, name: str, access: bool) -> None:
        # No service takes portal access away yet; the row is what the policy reads.
        Participant.objects.filter(pk=self.participants[name].pk).update(portal_access=access)
        self.has_portal[name] = access

    @rule(co=st.booleans())
    def change_co_mediator(self, co: bool) -> None:
        case = self._case()
        case_services.case_assign_team(
            actor=self.coordinator,
            case=case,
            lead_mediator=case.lead_mediator,
            co_mediator=self.service.mediator2 if co else None,
            supervisor=case.supervisor,
        )
        self.co_mediator = co

    # --- What each party sees ----------------------------------------------------------

    def _check_texts(self, name: str, room: str, views: list[dict[str, Any]]) -> None:
        visible_rooms = {r for r in ROOMS if self.may_use(name, r)}
        # Every text that reached a room this party may see, written there or relayed there.
        mine = set().union(*(self.written[r] | self.relayed_to[r] for r in visible_rooms))
        # Every text written in another party's private room, by them or by the mediators.
        others_private = set().union(*(self.written[p] for p in PARTIES if p != name))
        for view in views:
            msg = self.msgs[view["id"]]
            assert msg["room"] == room, f"{name} saw a message of {msg['room']} in {room}"
            if msg["withdrawn"]:
                assert view["body"] == "", f"{name} saw the text of a withdrawn message"
                continue
            body = view["body"]
            assert body == msg["body"]
            assert body in self.written[room] | self.relayed_to[room]
            assert body not in others_private or body in mine, (
                f"{name} saw another party's private text {body!r} that was never relayed to them"
            )
            assert view["relay"] is None, "a party saw where a relayed message came from"
            assert view["earlier_wordings"] == [], "a party saw an earlier wording"

    @invariant()
    def parties_see_only_what_is_theirs_through_the_selectors(self) -> None:
        case = self._case()
        for name in PARTIES:
            user = self._user(name)
            expected = {self.rooms[r] for r in ROOMS if self.may_use(name, r)}
            seen = {v.id for v in selectors.rooms_for(user=user, case=case)}
            assert seen == expected, f"{name} sees rooms {seen}, expected {expected}"
            for key in ROOMS:
                room = self._room(key)
                if self.rooms[key] not in expected:
                    with pytest.raises(NotFoundOrHidden):
                        selectors.room_messages(user=user, room=room)
                    continue
                views = selectors.room_messages(user=user, room=room, now=self.now)
                self._check_texts(
                    name,
                    key,
                    [
                        {
                            "id": v.id,
                            "body": v.body,
                            "relay": v.relay,
                            "earlier_wordings": v.earlier_wordings,
                        }
                        for v in views
                    ],
                )

    @invariant()
    def parties_see_only_what_is_theirs_through_the_api(self) -> None:
        base = f"/api/v1/cases/{self.case_id}/rooms"
        for name in PARTIES:
            client = self.clients[name]
            expected = {self.rooms[r] for r in ROOMS if self.may_use(name, r)}
            listed = client.get(base)
            if self.has_portal[name]:
                assert {r["id"] for r in listed.json()} == expected
            else:
                assert listed.status_code == 404
            for key in ROOMS:
                response = client.get(f"{base}/{self.rooms[key]}/messages")
                if self.rooms[key] not in expected:
                    assert response.status_code == 404, f"{name} reached {key} by the API"
                    continue
                assert response.status_code == 200
                self._check_texts(name, key, response.json())


def test_no_party_ever_sees_private_text_that_was_not_relayed_to_them(service):
    RoomsMachine.service = service
    run_state_machine_as_test(
        RoomsMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
