"""Rooms of a case (one joint, one private per party), their messages, revisions and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RoomKind(models.TextChoices):
    """Whether a room is shared by every party or belongs to one party."""

    JOINT = "joint", "Joint room"
    PRIVATE = "private", "Private room"


class Room(models.Model):
    """A conversation space of a case: the joint room, or one party's private room.

    Rooms are created on first use by ``rooms_ensure``, so every case has them without a
    migration or a signal. A private room stays attached to its participant even if their role
    changes; who may read it is decided by the room access rules, not by the row existing.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rooms")
    kind = models.CharField(max_length=8, choices=RoomKind.choices)
    party = models.ForeignKey(
        "cases.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="private_rooms",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RoomKind.values), name="room_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=RoomKind.JOINT, party__isnull=True)
                    | models.Q(kind=RoomKind.PRIVATE, party__isnull=False)
                ),
                name="room_party_only_for_private",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind=RoomKind.JOINT),
                name="room_one_joint_per_case",
            ),
            models.UniqueConstraint(
                fields=["case", "party"],
                condition=models.Q(kind=RoomKind.PRIVATE),
                name="room_one_private_per_party",
            ),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names, only ids.
        return f"{self.get_kind_display()} {self.pk} on case {self.case_id}"

    @property
    def is_private(self) -> bool:
        return self.kind == RoomKind.PRIVATE


class RelayMode(models.TextChoices):
    """How the mediator passed a message on."""

    VERBATIM = "verbatim", "Verbatim"
    REWORDED = "reworded", "Reworded"


class Message(models.Model):
    """One message in a room, or a mediator's relayed copy of a private-room message.

    A relayed copy is a new message in the destination room whose author is the mediator who
    relayed it; ``relayed_from`` points at the original for the mediators' record only and is
    never shown to parties.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="room_messages"
    )
    author_participant = models.ForeignKey(
        "cases.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_messages",
        help_text="The party who wrote it; empty for the mediators.",
    )
    body = models.TextField()
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    not_to_be_passed_on = models.BooleanField(default=False)
    relayed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="relays"
    )
    relay_mode = models.CharField(max_length=8, choices=RelayMode.choices, blank=True)
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["room_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relay_mode__in=["", *RelayMode.values]),
                name="message_relay_mode_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(relayed_from__isnull=True, relay_mode="")
                    | models.Q(relayed_from__isnull=False, relay_mode__in=RelayMode.values)
                ),
                name="message_relay_mode_only_on_relays",
            ),
        ]
        indexes = [models.Index(fields=["room", "id"], name="message_room_id_idx")]

    def __str__(self) -> str:
        # Never the text: audit labels use this.
        return f"Message {self.pk} in room {self.room_id}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_relay(self) -> bool:
        return self.relayed_from_id is not None


class MessageRevision(models.Model):
    """A message's earlier wording, kept for the mediators when it is edited or withdrawn."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id", "id"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of message {self.message_id}"


class Attachment(models.Model):
    """A file sent with a message; its type is read from its content, not from the upload."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    content = models.FileField(max_length=300)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id", "id"]

    def __str__(self) -> str:
        return f"Attachment {self.pk} of message {self.message_id}"


class RoomRead(models.Model):
    """How far one person has read a room, for unread counts."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="room_read_unique"),
        ]

    def __str__(self) -> str:
        return f"Room {self.room_id} read to {self.last_read_id}"
