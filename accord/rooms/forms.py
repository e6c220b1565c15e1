"""Forms for the room pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import AccordForm
from accord.rooms.models import RelayMode
from accord.rooms.services import BODY_LIMIT


class MessageForm(AccordForm):
    """Write a message, optionally with a file, and say whether it may be passed on."""

    body = forms.CharField(
        label="Your message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {BODY_LIMIT:,} characters. You can change or withdraw it for 5 minutes.",
    )
    attachment = forms.FileField(
        label="Attach a file",
        required=False,
        help_text="A PDF, PNG, JPEG, Word (.docx) or text file, up to 10 MB.",
    )
    not_to_be_passed_on = forms.BooleanField(
        label="Not to be passed on: the mediator must not share this with anyone else",
        required=False,
    )

    def __init__(self, *args: Any, private: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The mark means something only where the mediator could relay from: a private room.
        if not private:
            del self.fields["not_to_be_passed_on"]


class EditForm(AccordForm):
    """New wording for one's own message."""

    body = forms.CharField(
        label="Your message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RelayForm(AccordForm):
    """Pass a private-room message on to another room, word for word or reworded."""

    to_room = forms.TypedChoiceField(
        label="Pass it on to",
        coerce=int,
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where to pass it on to."},
    )
    mode = forms.ChoiceField(
        label="How",
        choices=RelayMode.choices,
        widget=forms.RadioSelect,
        initial=RelayMode.VERBATIM,
        error_messages={"required": "Choose whether to pass it on word for word or reworded."},
    )
    text = forms.CharField(
        label="Reworded message",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only for a reworded message: what the receiver will read.",
    )

    def __init__(self, *args: Any, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_room"].choices = targets  # type: ignore[attr-defined]
