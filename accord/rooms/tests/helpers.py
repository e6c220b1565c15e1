"""Helpers for the rooms tests: the family case's rooms and parties."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accord.cases.models import Participant
from accord.rooms.models import Room, RoomKind
from accord.rooms.services import rooms_ensure


def participant(service: Any, name: str) -> Participant:
    """One of the family case's parties, by first name ("alice" or "bob")."""
    return Participant.objects.get(case=service.case, user=service.parties[name])


def joint(service: Any) -> Room:
    """The family case's joint room."""
    rooms_ensure(case=service.case)
    return Room.objects.get(case=service.case, kind=RoomKind.JOINT)


def private(service: Any, name: str) -> Room:
    """A party's private room on the family case."""
    rooms_ensure(case=service.case)
    return Room.objects.get(case=service.case, party=participant(service, name))


def signed_in(user: Any) -> Client:
    """A test client signed in as the user (staff have two-factor set up by the factories)."""
    client = Client()
    client.force_login(user)
    return client
