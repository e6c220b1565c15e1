"""Reads of rooms and messages for one user: pages and the API both use only these.

What a party gets is built field by field (`MessageView`): a relayed copy shows its text, its
time and "from the mediator", never the original, its room or its writer; a withdrawn message
shows "withdrawn" and nothing of what it said. The mediators get the full record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.rooms import policy
from accord.rooms.models import Attachment, Message, Room, RoomKind, RoomRead
from accord.rooms.services import CHANGE_WINDOW, _ensure


@dataclass(frozen=True)
class RoomView:
    """A room as one user sees it in a list: its title and how many messages are unread."""

    room: Room
    title: str
    unread: int

    @property
    def id(self) -> int:
        return self.room.pk

    @property
    def kind(self) -> str:
        return self.room.kind


@dataclass(frozen=True)
class AttachmentView:
    """An attachment's name, type and size (the bytes come only through the download view)."""

    id: int
    file_name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class RelayView:
    """Where a relayed copy came from: for the mediators only."""

    from_message_id: int
    from_room_id: int
    from_room_title: str
    mode: str
    relayed_by: str


@dataclass(frozen=True)
class MessageView:
    """One message as one user may see it; fields they may not see are blank or None."""

    id: int
    body: str
    author: str
    is_own: bool
    from_mediator: bool
    is_relay: bool
    created_at: dt.datetime
    edited: bool
    withdrawn: bool
    not_to_be_passed_on: bool
    can_change: bool
    can_relay: bool
    attachments: list[AttachmentView] = field(default_factory=list)
    relay: RelayView | None = None
    earlier_wordings: list[str] = field(default_factory=list)


def _room_title(room: Room, *, for_mediator: bool) -> str:
    if room.kind == RoomKind.JOINT:
        return "Joint room"
    if for_mediator:
        return f"Private room: {room.party.full_name}" if room.party else "Private room"
    return "Your private room"


def rooms_for(*, user: Any, case: Case) -> list[RoomView]:
    """The rooms of the case the user may use (none for anyone else), with unread counts."""
    mediator = policy.is_room_mediator(user, case)
    parties = set() if mediator else policy.party_ids(user, case)
    if not mediator and not parties:
        return []
    _ensure(case)
    read_to = RoomRead.objects.filter(room=OuterRef("pk"), user_id=user.pk).values("last_read_id")[
        :1
    ]
    rooms = (
        Room.objects.filter(policy.access_filter(mediator, parties, case))
        .select_related("party")
        .annotate(read_to=Coalesce(Subquery(read_to), Value(0)))
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__id__gt=F("read_to")) & ~Q(messages__author_id=user.pk),
            )
        )
        .order_by("kind", "id")
    )
    return [RoomView(room, _room_title(room, for_mediator=mediator), room.unread) for room in rooms]


def room_get_for(*, user: Any, case: Case, room_id: Any) -> RoomView:
    """One room of the case the user may use; NotFoundOrHidden otherwise.

    The unread count is left at 0: a single room is fetched to be opened, not listed.
    """
    try:
        room = Room.objects.select_related("party").get(pk=int(room_id), case=case)
    except (Room.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such room.") from None
    room.case = case
    mediator = policy.is_room_mediator(user, case)
    if not mediator and not policy.can_use_room(user, room):
        raise NotFoundOrHidden("No such room.")
    return RoomView(room, _room_title(room, for_mediator=mediator), 0)


def relay_targets(*, user: Any, room: Room) -> list[RoomView]:
    """Where a mediator may pass a message from this private room: the other rooms of the case."""
    if not room.is_private or not policy.is_room_mediator(user, room.case):
        return []
    return [v for v in rooms_for(user=user, case=room.case) if v.room.pk != room.pk]


ROOM_PAGE_SIZE = 20
"""How many messages a room shows at first and each time earlier ones are asked for."""


def room_messages(
    *,
    user: Any,
    room: Room,
    after_id: int | None = None,
    before_id: int | None = None,
    limit: int | None = None,
    now: dt.datetime | None = None,
) -> list[MessageView]:
    """The room's messages as this user may see them, oldest first.

    ``after_id`` keeps the newer ones (polling), ``before_id`` the older ones (a keyset cursor
    for earlier pages). With ``limit`` the newest ``limit`` of those are taken (the oldest
    ``limit`` when only ``after_id`` is given, so a poller walks forward without gaps).
    """
    if not policy.can_use_room(user, room):
        raise NotFoundOrHidden("No such room.")
    mediator = policy.is_room_mediator(user, room.case)
    qs = (
        Message.objects.filter(room=room)
        .select_related("author", "author_participant")
        .prefetch_related("attachments")
    )
    if mediator:
        qs = qs.select_related("relayed_from__room__party", "relayed_by").prefetch_related(
            "revisions"
        )
    if after_id:
        qs = qs.filter(id__gt=after_id)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    if limit is None:
        messages = list(qs.order_by("id"))
    elif after_id and not before_id:
        messages = list(qs.order_by("id")[:limit])
    else:
        messages = list(qs.order_by("-id")[:limit])[::-1]
    moment = now or timezone.now()
    return [
        _message_view(m, user=user, mediator=mediator, private=room.is_private, now=moment)
        for m in messages
    ]


@dataclass(frozen=True)
class MessagePage:
    """One page of a room, oldest first, and the cursor for the page before it (None: none)."""

    messages: list[MessageView]
    earlier_before_id: int | None


def room_message_page(
    *,
    user: Any,
    room: Room,
    before_id: int | None = None,
    size: int | None = None,
    now: dt.datetime | None = None,
) -> MessagePage:
    """The newest `size` messages (older than `before_id` if given), with the earlier cursor."""
    size = size or ROOM_PAGE_SIZE
    views = room_messages(user=user, room=room, before_id=before_id, limit=size + 1, now=now)
    if len(views) > size:
        views = views[1:]
        return MessagePage(views, views[0].id)
    return MessagePage(views, None)


def _author_label(message: Message, *, user: Any, mediator: bool) -> str:
    if message.author_id == user.pk:
        return "You"
    if message.author_participant is not None:
        return message.author_participant.full_name
    if mediator:
        return message.author.full_name or "Mediator"
    return "The mediator"


def _message_view(
    message: Message, *, user: Any, mediator: bool, private: bool, now: dt.datetime
) -> MessageView:
    own = message.author_id == user.pk
    hidden = message.is_withdrawn and not mediator
    in_window = now - message.created_at <= CHANGE_WINDOW
    relay = None
    if mediator and message.relayed_from is not None:
        source = message.relayed_from
        relay = RelayView(
            from_message_id=source.pk,
            from_room_id=source.room_id,
            from_room_title=_room_title(source.room, for_mediator=True),
            mode=message.relay_mode,
            relayed_by=(message.relayed_by.full_name if message.relayed_by else ""),
        )
    return MessageView(
        id=message.pk,
        body="" if hidden else message.body,
        author=_author_label(message, user=user, mediator=mediator),
        is_own=own,
        from_mediator=message.author_participant_id is None,
        is_relay=message.is_relay,
        created_at=message.created_at,
        edited=message.edited_at is not None and not hidden,
        withdrawn=message.is_withdrawn,
        # The mark is the writer's instruction to the mediators; nobody else needs to see it.
        not_to_be_passed_on=message.not_to_be_passed_on and (own or mediator),
        can_change=own and in_window and not message.is_withdrawn,
        can_relay=(
            mediator and private and not message.not_to_be_passed_on and not message.is_withdrawn
        ),
        attachments=[]
        if hidden
        else [
            AttachmentView(a.pk, a.file_name, a.content_type, a.size)
            for a in message.attachments.all()
        ],
        relay=relay,
        earlier_wordings=[r.body for r in message.revisions.all()] if mediator else [],
    )


def attachment_get_for_download(*, user: Any, attachment_id: Any) -> Attachment:
    """An attachment whose room the user may use (withdrawn ones: mediators only); else 404."""
    try:
        attachment = Attachment.objects.select_related(
            "message__room__case", "message__room__party"
        ).get(pk=int(attachment_id))
    except (Attachment.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such file.") from None
    room = attachment.message.room
    if not policy.can_use_room(user, room):
        raise NotFoundOrHidden("No such file.")
    if attachment.message.is_withdrawn and not policy.is_room_mediator(user, room.case):
        raise NotFoundOrHidden("No such file.")
    return attachment


def message_view_for(*, user: Any, room: Room, message_id: Any) -> MessageView:
    """One message of the room as this user may see it; NotFoundOrHidden otherwise."""
    try:
        wanted = int(message_id)
    except (TypeError, ValueError):
        raise NotFoundOrHidden("No such message.") from None
    for view in room_messages(user=user, room=room, after_id=wanted - 1, limit=1):
        if view.id == wanted:
            return view
    raise NotFoundOrHidden("No such message.")
