"""How the rooms' events read on the case timeline ("Helen Carter relayed a reworded message to
Daniel Wright's private room"). Message text never appears: only who did what, and where."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_names, register_prefix
from accord.rooms.models import Room, RoomKind


def _room_names(ids: set[int]) -> dict[int, str]:
    names = {}
    for room in Room.objects.filter(pk__in=ids).select_related("party"):
        if room.kind == RoomKind.JOINT or room.party is None:
            names[room.pk] = "the joint room"
        else:
            names[room.pk] = f"{room.party.full_name}'s private room"
    return names


def _room(item: TimelineEvent, key: str = "room_id") -> str:
    return item.room(item.details.get(key))


def _posted(item: TimelineEvent) -> str:
    what = "a message with an attachment" if item.details.get("attachment") else "a message"
    text = f"{item.actor} posted {what} in {_room(item)}"
    if item.details.get("not_to_be_passed_on"):
        text += ", not to be passed on"
    return text


def _relayed(item: TimelineEvent) -> str:
    mode = "a reworded message" if item.details.get("mode") == "reworded" else "a message"
    text = f"{item.actor} relayed {mode} to {_room(item, 'to_room_id')}"
    if item.details.get("mode") == "verbatim":
        text += " word for word"
    return text


register_names("room", _room_names, "room_id", "from_room_id", "to_room_id")
register_prefix("room.", "rooms")
register("room.message_posted", "rooms", _posted)
register("room.message_relayed", "rooms", _relayed)
register("room.message_edited", "rooms", lambda i: f"{i.actor} edited a message in {_room(i)}")
register("room.message_withdrawn", "rooms", lambda i: f"{i.actor} withdrew a message in {_room(i)}")
register(
    "room.message_marked_private",
    "rooms",
    lambda i: f"{i.actor} marked a message in {_room(i)} not to be passed on",
)
