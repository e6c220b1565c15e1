"""Forms for pre-mediation meetings: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, StaffChoiceField
from accord.meetings.forms import MiamBookForm, meeting_mode_field, meeting_place_field


class _PartyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class PreMediationBookForm(AccordForm):
    """Book a pre-mediation meeting: which party, which mediator, when, how and where."""

    participant = _PartyField(
        label="Which party is it for?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a party of this case."},
    )
    mediator = StaffChoiceField(
        label="Mediator",
        queryset=None,
        empty_label="Choose a mediator",
        error_messages={"required": "Choose the case's lead mediator or co-mediator."},
    )
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="For example, 18/12/2026 15:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the meeting starts.",
            "invalid": "Enter a real date and time, for example 18/12/2026 15:00.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=60,
        error_messages={
            "required": "Enter the length of the meeting in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 60.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    confirm_warnings = MiamBookForm.base_fields["confirm_warnings"]
    confirm_reason = MiamBookForm.base_fields["confirm_reason"]

    def __init__(self, *args: Any, parties: Any, mediators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = parties  # type: ignore[attr-defined]
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]


def _note(label: str, help_text: str, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record how the party sees the dispute."},
    )


class PreMediationNotesForm(AccordForm):
    """The mediator's private notes of the meeting."""

    perspective = _note("Their perspective", "How the party sees the dispute.", required=True)
    goals = _note("Their goals", "What they want to achieve.")
    concerns = _note("Their concerns", "What worries them, about the dispute or the mediation.")
    ideas = _note("Their ideas for a solution", "Anything they would propose or accept.")


class PreMediationMoveForm(AccordForm):
    """Move a pre-mediation meeting: the new time, length, way of meeting and place."""

    starts_at = forms.DateTimeField(
        label="New date and time",
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="For example, 18/12/2026 15:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter the new date and time.",
            "invalid": "Enter a real date and time, for example 18/12/2026 15:00.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        error_messages={
            "required": "Enter the length of the meeting in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 60.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    confirm_warnings = MiamBookForm.base_fields["confirm_warnings"]
    confirm_reason = MiamBookForm.base_fields["confirm_reason"]


class PreMediationCancelForm(AccordForm):
    """Cancel a pre-mediation meeting, saying why (kept for the team; never emailed)."""

    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the case team only. The party is told it is cancelled, not why.",
        error_messages={
            "required": "Say why the meeting is cancelled.",
            "max_length": "Keep the reason to 2,000 characters.",
        },
    )


class PreMediationDidNotAttendForm(AccordForm):
    """Record that the party did not come, with an optional note for the team."""

    note = forms.CharField(
        label="Note for the case team (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, whether they sent word. The party does not see it.",
        error_messages={"max_length": "Keep the note to 2,000 characters."},
    )
