"""Every change in the rooms: posting, editing, withdrawing, relaying, marking, reading.

Each service checks that the actor may use the room (404 otherwise, as if it did not exist),
validates, writes and records an audit event in one transaction. Audit details hold ids and
flags only, never a message's text or an attachment's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import PARTY_ROLES, Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.rooms import policy, sniff
from accord.rooms.models import (
    Attachment,
    Message,
    MessageRevision,
    RelayMode,
    Room,
    RoomKind,
    RoomRead,
)

#: The longest message, in characters.
BODY_LIMIT = 5000
#: How long after sending a message its author may still edit or withdraw it.
CHANGE_WINDOW = dt.timedelta(minutes=5)
#: The largest attachment, in bytes.
ATTACHMENT_LIMIT = 10 * 1024 * 1024

PAUSED_FOR_PARTIES = (
    "Messages cannot be sent in this mediation at the moment. Your mediator will be in touch."
)


def rooms_ensure(*, case: Case) -> list[Room]:
    """Create the case's joint room and a private room for each party, if not there yet.

    Safe to call on every read and from two requests at once: the unique constraints decide,
    and a lost race just finds the row the other request made.
    """
    _ensure(case)
    return list(Room.objects.filter(case=case).order_by("kind", "id"))


def _ensure(case: Case) -> None:
    """Create whichever of the case's rooms are missing (two queries when none are).

    Each creation has its own savepoint, so a lost race never spoils the caller's transaction.
    """
    wanted: list[tuple[str, int | None]] = [(RoomKind.JOINT, None)]
    wanted += [
        (RoomKind.PRIVATE, pk)
        for pk in case.participants.filter(role__in=PARTY_ROLES).values_list("pk", flat=True)
    ]
    existing = set(Room.objects.filter(case=case).values_list("kind", "party_id"))
    for kind, party_id in wanted:
        if (kind, party_id) in existing:
            continue
        try:
            with transaction.atomic():
                Room.objects.create(
                    organisation_id=case.organisation_id, case=case, kind=kind, party_id=party_id
                )
        except IntegrityError:
            pass  # Another request made it first: it is there, which is all that matters.


def _room_for(actor: Any, room: Room) -> Room:
    """The room with its case, or 404 if the actor may not use it."""
    try:
        room = Room.objects.select_related("case", "case__organisation").get(pk=room.pk)
    except Room.DoesNotExist:
        raise NotFoundOrHidden("No such room.") from None
    if not policy.can_use_room(actor, room):
        raise NotFoundOrHidden("No such room.")
    return room


def _message_for(actor: Any, message: Message) -> tuple[Message, Room]:
    """The message, row-locked, and its room; 404 unless the actor may use the room."""
    try:
        locked = Message.objects.select_for_update().get(pk=message.pk)
    except Message.DoesNotExist:
        raise NotFoundOrHidden("No such message.") from None
    room = _room_for(actor, locked.room)
    return locked, room


def _clean_body(body: Any, *, required: bool, field: str = "body") -> tuple[str, dict[str, list]]:
    text = body.strip() if isinstance(body, str) else ""
    if required and not text:
        return text, {field: ["Write a message."]}
    if len(text) > BODY_LIMIT:
        return text, {
            field: [
                f"A message must be {BODY_LIMIT:,} characters or fewer (this one is {len(text):,})."
            ]
        }
    return text, {}


def _refuse_closed_or_paused(actor: Any, room: Room, errors: dict[str, list[str]]) -> None:
    """Closed cases take no messages; a paused case takes none from parties.

    The words for parties do not say why: a pause means a safeguarding investigation, which a
    party must not learn of from the system. The mediators may still write, to keep in touch.
    """
    case = room.case
    if case.is_closed:
        errors["__all__"] = ["The case is closed, so no more messages can be sent."]
    elif case.is_paused and not policy.is_room_mediator(actor, case):
        errors["__all__"] = [PAUSED_FOR_PARTIES]


def _refuse_by_suitability(actor: Any, room: Room) -> None:
    """Parties write in the joint room only on a joint decision, and in no room on not suitable.

    The case's mediators are never refused. See `accord.mediation.gate.room_verdict`.
    """
    from accord.mediation.suitability import room_post_refusal

    reason = room_post_refusal(
        room.case, room.kind, is_staff=policy.is_room_mediator(actor, room.case)
    )
    if reason:
        raise ValidationFailed(reason, field_errors={"__all__": [reason]})


def _author_participant_id(actor: Any, room: Room) -> int | None:
    if policy.is_room_mediator(actor, room.case):
        return None
    parties = policy.party_ids(actor, room.case)
    if room.kind == RoomKind.PRIVATE:
        return room.party_id
    return min(parties) if parties else None


def read_upload(upload: Any) -> tuple[bytes, str, dict[str, list[str]]]:
    """The upload's bytes and real content type, or the reason it is refused."""
    size = getattr(upload, "size", None)
    if size is not None and size > ATTACHMENT_LIMIT:
        return b"", "", {"attachment": ["The file must be 10 MB or smaller."]}
    data = upload.read(ATTACHMENT_LIMIT + 1)
    if len(data) > ATTACHMENT_LIMIT:
        return b"", "", {"attachment": ["The file must be 10 MB or smaller."]}
    if not data:
        return b"", "", {"attachment": ["The file is empty."]}
    actual = sniff.sniff(data)
    if actual is None:
        return (
            b"",
            "",
            {"attachment": ["The file must be a PDF, PNG, JPEG, Word (.docx) or text file."]},
        )
    declared = getattr(upload, "content_type", "") or ""
    if not sniff.declared_matches(declared, actual):
        return (
            b"",
            "",
            {"attachment": ["The file's contents do not match its type. Choose the file again."]},
        )
    return data, actual, {}


def safe_file_name(upload: Any, content_type: str) -> str:
    raw = str(getattr(upload, "name", "") or "attachment").replace("\\", "/").rsplit("/", 1)[-1]
    stem = raw.rsplit(".", 1)[0] if "." in raw else raw
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_")[:80].strip() or "attachment"
    return stem + sniff.EXTENSIONS[content_type]


@transaction.atomic
def message_post(
    *,
    actor: Any,
    room: Room,
    body: str,
    not_to_be_passed_on: bool = False,
    attachment: Any = None,
    now: dt.datetime | None = None,
) -> Message:
    """Post a message (and optionally one attachment) to a room the actor may use."""
    room = _room_for(actor, room)
    errors: dict[str, list[str]] = {}
    _refuse_closed_or_paused(actor, room, errors)
    if not errors:
        _refuse_by_suitability(actor, room)
    text, body_errors = _clean_body(body, required=attachment is None)
    errors.update(body_errors)
    data, content_type = b"", ""
    if attachment is not None and not errors:
        data, content_type, file_errors = read_upload(attachment)
        errors.update(file_errors)
    if errors:
        raise ValidationFailed("The message could not be sent.", field_errors=errors)
    moment = now or timezone.now()
    message = Message.objects.create(
        room=room,
        author=actor,
        author_participant_id=_author_participant_id(actor, room),
        body=text,
        created_at=moment,
        # Only private-room messages can be relayed, so only there does the mark mean anything.
        not_to_be_passed_on=bool(not_to_be_passed_on) and room.is_private,
    )
    stored = ""
    try:
        if attachment is not None:
            sha256 = hashlib.sha256(data).hexdigest()
            stored = default_storage.save(
                f"rooms/{room.organisation_id}/{room.case_id}/{room.pk}/{uuid.uuid4().hex}",
                ContentFile(data),
            )
            Attachment.objects.create(
                message=message,
                content=stored,
                file_name=safe_file_name(attachment, content_type),
                content_type=content_type,
                size=len(data),
                sha256=sha256,
                uploaded_at=moment,
            )
        audit_record(
            organisation_id=room.organisation_id,
            actor=actor,
            action="room.message_posted",
            target=message,
            case_id=room.case_id,
            details={
                "room_id": room.pk,
                "room_kind": room.kind,
                "message_id": message.pk,
                "attachment": attachment is not None,
                "not_to_be_passed_on": message.not_to_be_passed_on,
            },
        )
    except Exception:
        # The transaction rolls back the rows; the file is outside it, so remove it by hand.
        if stored:
            default_storage.delete(stored)
        raise
    return message


def _check_author_in_window(
    actor: Any, message: Message, moment: dt.datetime, doing: str
) -> dict[str, list[str]]:
    if message.author_id != getattr(actor, "pk", None):
        raise NotPermitted(f"Only the person who wrote a message can {doing} it.")
    if message.is_withdrawn:
        return {"__all__": ["This message has been withdrawn."]}
    if moment - message.created_at > CHANGE_WINDOW:
        return {
            "__all__": [
                "A message can be changed or withdrawn for 5 minutes after it is sent. "
                "This one is now fixed in the record."
            ]
        }
    return {}


@transaction.atomic
def message_edit(
    *, actor: Any, message: Message, body: str, now: dt.datetime | None = None
) -> Message:
    """Change the wording of one's own message within 5 minutes; the old wording is kept."""
    message, room = _message_for(actor, message)
    moment = now or timezone.now()
    errors = _check_author_in_window(actor, message, moment, "change")
    if not errors:
        _refuse_closed_or_paused(actor, room, errors)
    text, body_errors = _clean_body(body, required=not message.attachments.exists())
    if not errors:
        errors.update(body_errors)
    if errors:
        raise ValidationFailed("The message could not be changed.", field_errors=errors)
    if text == message.body:
        return message
    MessageRevision.objects.create(message=message, body=message.body, replaced_at=moment)
    message.body = text
    message.edited_at = moment
    message.save(update_fields=["body", "edited_at"])
    audit_record(
        organisation_id=room.organisation_id,
        actor=actor,
        action="room.message_edited",
        target=message,
        case_id=room.case_id,
        details={"room_id": room.pk, "message_id": message.pk},
    )
    return message


@transaction.atomic
def message_withdraw(*, actor: Any, message: Message, now: dt.datetime | None = None) -> Message:
    """Withdraw one's own message within 5 minutes: others see "withdrawn", mediators keep it."""
    message, room = _message_for(actor, message)
    moment = now or timezone.now()
    errors = _check_author_in_window(actor, message, moment, "withdraw")
    if errors:
        raise ValidationFailed("The message could not be withdrawn.", field_errors=errors)
    message.withdrawn_at = moment
    message.save(update_fields=["withdrawn_at"])
    audit_record(
        organisation_id=room.organisation_id,
        actor=actor,
        action="room.message_withdrawn",
        target=message,
        case_id=room.case_id,
        details={"room_id": room.pk, "message_id": message.pk},
    )
    return message


@transaction.atomic
def message_mark_not_to_pass(*, actor: Any, message: Message) -> Message:
    """The author marks a private-room message "not to be passed on"; it can then never be relayed.

    There is no way back: a mark that could be lifted by anyone could be lifted by mistake.
    """
    message, room = _message_for(actor, message)
    if message.author_id != getattr(actor, "pk", None):
        raise NotPermitted("Only the person who wrote a message can mark it.")
    if not room.is_private:
        raise ValidationFailed(
            "Only messages in a private room can be marked.",
            field_errors={"__all__": ["Only messages in a private room can be marked."]},
        )
    if message.not_to_be_passed_on:
        return message
    message.not_to_be_passed_on = True
    message.save(update_fields=["not_to_be_passed_on"])
    audit_record(
        organisation_id=room.organisation_id,
        actor=actor,
        action="room.message_marked_private",
        target=message,
        case_id=room.case_id,
        details={"room_id": room.pk, "message_id": message.pk},
    )
    return message


@transaction.atomic
def message_relay(
    *,
    actor: Any,
    message: Message,
    to_room: Room,
    mode: str,
    text: str = "",
    now: dt.datetime | None = None,
) -> Message:
    """A mediator passes a private-room message to another room, verbatim or reworded.

    The copy is a new message by the mediator in the destination room; the original stays
    where it was written. The source row is locked, so a withdrawal or a "not to be passed on"
    mark made at the same moment either happens first (and the relay is refused) or after.
    """
    message, source = _message_for(actor, message)
    if not policy.is_room_mediator(actor, source.case):
        raise NotPermitted("Only the case's mediators can pass messages on.")
    try:
        destination = Room.objects.select_related("case").get(pk=to_room.pk)
    except Room.DoesNotExist:
        raise NotFoundOrHidden("No such room.") from None
    if destination.case_id != source.case_id:
        raise NotFoundOrHidden("No such room.")
    errors: dict[str, list[str]] = {}
    if source.case.is_closed:
        errors["__all__"] = ["The case is closed, so no more messages can be sent."]
    elif not source.is_private:
        errors["__all__"] = ["Only messages in a private room can be passed on."]
    elif message.not_to_be_passed_on:
        errors["__all__"] = ["The writer asked for this message not to be passed on."]
    elif message.is_withdrawn:
        errors["__all__"] = ["This message has been withdrawn, so it cannot be passed on."]
    if destination.pk == source.pk:
        errors["to_room"] = ["Choose a different room from the one the message is in."]
    if mode not in RelayMode.values:
        errors["mode"] = ["Choose whether to pass it on word for word or reworded."]
    body = message.body
    if mode == RelayMode.REWORDED:
        body, text_errors = _clean_body(text, required=True, field="text")
        errors.update(text_errors)
    if errors:
        raise ValidationFailed("The message could not be passed on.", field_errors=errors)
    copy = Message.objects.create(
        room=destination,
        author=actor,
        author_participant=None,
        body=body,
        created_at=now or timezone.now(),
        relayed_from=message,
        relay_mode=mode,
        relayed_by=actor,
    )
    audit_record(
        organisation_id=source.organisation_id,
        actor=actor,
        action="room.message_relayed",
        target=copy,
        case_id=source.case_id,
        details={
            "from_room_id": source.pk,
            "from_message_id": message.pk,
            "to_room_id": destination.pk,
            "message_id": copy.pk,
            "mode": mode,
        },
    )
    return copy


@transaction.atomic
def room_mark_read(*, user: Any, room: Room, up_to_id: int) -> None:
    """Remember how far the user has read the room, for unread counts.

    Not audited: it records nobody's words or decisions, only a reading position.
    """
    room = _room_for(user, room)
    read, _ = RoomRead.objects.select_for_update().get_or_create(room=room, user=user)
    if up_to_id > read.last_read_id:
        read.last_read_id = up_to_id
        read.save(update_fields=["last_read_id"])
