"""The rooms part of the HTTP API (mounted by ``accord.api.api``).

Endpoints only parse input, call a selector or service and shape the answer, using the same
selectors as the pages, so the API shows no more than the pages do: a party gets the joint room
and their own private room only (404 for any other), a relayed message shows only its text, its
time and that it came from the mediator. A message with a file is a multipart upload checked by
the same service as the page (type from the content, size limit); a file is downloaded by whoever
may use its room (a party: only their own rooms' files).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases.models import Case
from accord.cases.selectors import case_get_for, is_portal_party
from accord.core.errors import NotFoundOrHidden
from accord.organisations.selectors import is_staff_member
from accord.rooms import selectors, services
from accord.rooms.models import Message, RelayMode
from accord.rooms.selectors import ROOM_PAGE_SIZE, MessageView, RoomView
from accord.rooms.services import BODY_LIMIT

router = Router(tags=["rooms"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- Input ---------------------------------------------------------------------------------


class MessagesQuery(InputSchema):
    """Which messages to return."""

    after: int = Field(0, ge=0, le=2**63 - 1, description="Only messages with a larger id.")
    before: int = Field(
        0,
        ge=0,
        le=2**63 - 1,
        description="Only messages with a smaller id: pass the first id of the page you have "
        "to get the page before it (a keyset cursor).",
    )
    limit: int = Field(
        ROOM_PAGE_SIZE,
        ge=1,
        le=200,
        description="At most this many messages: the newest of them, or with only `after` the "
        "oldest newer ones.",
    )


class MessageIn(InputSchema):
    """A new message."""

    model_config = ConfigDict(extra="forbid")

    body: MultilineText = Field(..., description=f"The text, up to {BODY_LIMIT} characters.")
    not_to_be_passed_on: bool = Field(
        False, description="Private rooms only: the mediators must not relay it."
    )


class MessageEditIn(InputSchema):
    """New wording for one's own message (within 5 minutes of sending it)."""

    model_config = ConfigDict(extra="forbid")

    body: MultilineText


class RelayIn(InputSchema):
    """Pass a private-room message on to another room of the case (mediators only)."""

    model_config = ConfigDict(extra="forbid")

    to_room_id: ObjectId
    mode: RelayMode
    text: MultilineText = Field(
        "", description="The reworded text; required when mode is 'reworded'."
    )


# --- Output --------------------------------------------------------------------------------


class RoomOut(Schema):
    """A room the caller may use."""

    id: int
    kind: str = Field(description="'joint' or 'private'.")
    title: str
    unread: int = Field(description="Messages by others the caller has not opened yet.")


class AttachmentOut(Schema):
    """A file sent with a message."""

    id: int
    file_name: str
    content_type: str
    size: int
    download_url: str


class RelayOut(Schema):
    """Where a relayed copy came from (mediators only)."""

    from_message_id: int
    from_room_id: int
    mode: str
    relayed_by: str


class MessageOut(Schema):
    """A message as the caller may see it: withdrawn text and relay sources are left out."""

    id: int
    body: str = Field(description="Empty for a withdrawn message, except for the mediators.")
    author: str = Field(description="'You', a party's name, or the mediator.")
    is_own: bool
    from_mediator: bool
    is_relay: bool = Field(description="Passed on by the mediator from a private room.")
    created_at: dt.datetime
    edited: bool
    withdrawn: bool
    not_to_be_passed_on: bool = Field(description="Shown to the writer and the mediators only.")
    can_change: bool = Field(description="The caller may still edit or withdraw it.")
    attachments: list[AttachmentOut]
    relay: RelayOut | None = Field(description="Mediators only; null for everyone else.")
    earlier_wordings: list[str] = Field(description="Mediators only; empty for everyone else.")


# --- Shaping -------------------------------------------------------------------------------


def _room_out(view: RoomView) -> RoomOut:
    return RoomOut(id=view.id, kind=view.kind, title=view.title, unread=view.unread)


def _message_out(user: Any, case: Case, view: MessageView) -> MessageOut:
    area = "staff" if is_staff_member(user) and not is_portal_party(user, case) else "portal"
    return MessageOut(
        id=view.id,
        body=view.body,
        author=view.author,
        is_own=view.is_own,
        from_mediator=view.from_mediator,
        is_relay=view.is_relay,
        created_at=view.created_at,
        edited=view.edited,
        withdrawn=view.withdrawn,
        not_to_be_passed_on=view.not_to_be_passed_on,
        can_change=view.can_change,
        attachments=[
            AttachmentOut(
                id=a.id,
                file_name=a.file_name,
                content_type=a.content_type,
                size=a.size,
                download_url=reverse(f"rooms:{area}_file", args=[case.pk, a.id]),
            )
            for a in view.attachments
        ],
        relay=(
            RelayOut(
                from_message_id=view.relay.from_message_id,
                from_room_id=view.relay.from_room_id,
                mode=view.relay.mode,
                relayed_by=view.relay.relayed_by,
            )
            if view.relay
            else None
        ),
        earlier_wordings=view.earlier_wordings,
    )


def _room(user: Any, case_id: int, room_id: int) -> tuple[Case, RoomView]:
    case = case_get_for(user=user, case_id=case_id)
    return case, selectors.room_get_for(user=user, case=case, room_id=room_id)


def _message(room: RoomView, message_id: int) -> Message:
    message = Message.objects.filter(room=room.room, pk=message_id).first()
    if message is None:
        raise NotFoundOrHidden("No such message.")
    return message


def _as_seen(user: Any, case: Case, room: RoomView, message_id: int) -> MessageOut:
    view = selectors.message_view_for(user=user, room=room.room, message_id=message_id)
    return _message_out(user, case, view)


# --- Endpoints -----------------------------------------------------------------------------

_MESSAGE = "/cases/{case_id}/rooms/{room_id}/messages/{message_id}"


@router.get(
    "/cases/{case_id}/rooms",
    response=responses(200, list[RoomOut], 404, 422),
    summary="List the rooms of a case",
)
def room_list(request: HttpRequest, case_id: ObjectId) -> list[RoomOut]:
    """The rooms the caller may use: all of them for the case's mediators, the joint room and
    their own private room for a party, none for anyone else."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    return [_room_out(v) for v in selectors.rooms_for(user=user, case=case)]


@router.get(
    "/cases/{case_id}/rooms/{room_id}/messages",
    response=responses(200, list[MessageOut], 404, 422),
    summary="List messages in a room",
)
def message_list(
    request: HttpRequest, case_id: ObjectId, room_id: ObjectId, query: Query[MessagesQuery]
) -> list[MessageOut]:
    """The room's newest messages, shown oldest first; earlier ones with ``before`` set to the
    first id you have, newer ones (polling) with ``after`` set to the last id you have. An empty
    list means there are no more."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    views = selectors.room_messages(
        user=user,
        room=room.room,
        after_id=query.after or None,
        before_id=query.before or None,
        limit=query.limit,
    )
    return [_message_out(user, case, v) for v in views]


@router.post(
    "/cases/{case_id}/rooms/{room_id}/messages",
    response=responses(201, MessageOut, 404, 422),
    summary="Post a message",
)
def message_post(
    request: HttpRequest, case_id: ObjectId, room_id: ObjectId, payload: MessageIn
) -> Any:
    """Write in a room the caller may use."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    message = services.message_post(
        actor=user,
        room=room.room,
        body=payload.body,
        not_to_be_passed_on=payload.not_to_be_passed_on,
    )
    return Status(201, _as_seen(user, case, room, message.pk))


@router.patch(_MESSAGE, response=responses(200, MessageOut, 404, 422), summary="Edit a message")
def message_edit(
    request: HttpRequest,
    case_id: ObjectId,
    room_id: ObjectId,
    message_id: ObjectId,
    payload: MessageEditIn,
) -> MessageOut:
    """Change the wording of one's own message within 5 minutes of sending it."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    services.message_edit(actor=user, message=_message(room, message_id), body=payload.body)
    return _as_seen(user, case, room, message_id)


@router.post(
    _MESSAGE + "/withdraw",
    response=responses(200, MessageOut, 404, 422),
    summary="Withdraw a message",
)
def message_withdraw(
    request: HttpRequest, case_id: ObjectId, room_id: ObjectId, message_id: ObjectId
) -> MessageOut:
    """Withdraw one's own message within 5 minutes of sending it."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    services.message_withdraw(actor=user, message=_message(room, message_id))
    return _as_seen(user, case, room, message_id)


@router.post(
    _MESSAGE + "/not-to-be-passed-on",
    response=responses(200, MessageOut, 404, 422),
    summary="Mark a message not to be passed on",
)
def message_mark(
    request: HttpRequest, case_id: ObjectId, room_id: ObjectId, message_id: ObjectId
) -> MessageOut:
    """The writer of a private-room message forbids relaying it, for good."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    services.message_mark_not_to_pass(actor=user, message=_message(room, message_id))
    return _as_seen(user, case, room, message_id)


@router.post(
    _MESSAGE + "/relay",
    response=responses(201, MessageOut, 404, 422),
    summary="Relay a message to another room",
)
def message_relay(
    request: HttpRequest,
    case_id: ObjectId,
    room_id: ObjectId,
    message_id: ObjectId,
    payload: RelayIn,
) -> Any:
    """A mediator passes a private-room message on, verbatim or reworded; returns the copy."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    message = _message(room, message_id)
    destination = selectors.room_get_for(user=user, case=case, room_id=payload.to_room_id)
    copy = services.message_relay(
        actor=user,
        message=message,
        to_room=destination.room,
        mode=payload.mode.value,
        text=payload.text,
    )
    return Status(201, _as_seen(user, case, destination, copy.pk))


class MessageUploadIn(InputSchema):
    """The text fields of a message sent with a file (multipart form)."""

    model_config = ConfigDict(extra="forbid")

    body: MultilineText = Field(
        "", description=f"Optional text with the file, up to {BODY_LIMIT} characters."
    )
    not_to_be_passed_on: bool = Field(
        False, description="Private rooms only: the mediators must not relay it."
    )


@router.post(
    "/cases/{case_id}/rooms/{room_id}/attachments",
    response=responses(201, MessageOut, 404, 413, 422),
    summary="Post a message with a file",
)
def message_post_with_attachment(
    request: HttpRequest,
    case_id: ObjectId,
    room_id: ObjectId,
    form: Form[MessageUploadIn],
    attachment: File[UploadedFile],
) -> Any:
    """Multipart form: `attachment` (PDF, PNG, JPEG, Word .docx or text, recognised from its
    content and matching its declared type, up to 10 MB) with an optional `body`. The same
    service and checks as the room page."""
    user = request.auth  # type: ignore[attr-defined]
    case, room = _room(user, case_id, room_id)
    message = services.message_post(
        actor=user,
        room=room.room,
        body=form.body,
        not_to_be_passed_on=form.not_to_be_passed_on,
        attachment=attachment,
    )
    return Status(201, _as_seen(user, case, room, message.pk))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}/content",
    response=responses(200, None, 404, 422),
    summary="Download a file sent in a room",
)
def attachment_content(request: HttpRequest, case_id: ObjectId, attachment_id: ObjectId) -> Any:
    """Whoever may use the file's room: a party only their own rooms' files, a withdrawn
    message's file only the mediators; everyone else 404."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_get_for(user=user, case_id=case_id)
    attachment = selectors.attachment_get_for_download(user=user, attachment_id=attachment_id)
    if attachment.message.room.case_id != case.pk:
        raise NotFoundOrHidden("No such file.")
    try:
        handle = attachment.content.open("rb")
    except FileNotFoundError:
        raise NotFoundOrHidden("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
