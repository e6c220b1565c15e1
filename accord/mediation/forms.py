"""Forms for the session pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from accord.cases.models import Participant
from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm
from accord.mediation.models import (
    FULL_RULES,
    AttendanceStatus,
    EndReason,
    NoteKind,
    SessionFormat,
)
from accord.meetings.forms import (
    MiamBookForm,
    MiamMoveForm,
    meeting_mode_field,
    meeting_place_field,
)


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    """Participants of the case, shown by name and role."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Members of staff, shown by name (or email)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class SessionBookForm(AccordForm):
    """Book a session: joint or shuttle, when, how long, how and where, who attends."""

    format = forms.ChoiceField(
        label="Joint or shuttle?",
        choices=SessionFormat.choices,
        widget=forms.RadioSelect,
        help_text="Shuttle: the parties stay in separate rooms or calls.",
        error_messages={"required": "Choose a joint or a shuttle session."},
    )
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="UK time, for example 18/12/2026 10:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the session starts.",
            "invalid": "Enter a real date and time, for example 18/12/2026 10:00.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=120,
        help_text="Between 30 and 600 minutes; sessions usually last 90 to 180.",
        error_messages={
            "required": "Enter the length of the session in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 120.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    attendees = ParticipantChoiceField(
        label="Who attends?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who attends."},
    )
    mediators = StaffMultipleChoiceField(
        label="Mediators",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the mediator."},
    )
    confirm_warnings = MiamBookForm.base_fields["confirm_warnings"]
    confirm_reason = MiamBookForm.base_fields["confirm_reason"]

    def __init__(self, *args: Any, participants: Any, mediators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = participants  # type: ignore[attr-defined]
        self.fields["mediators"].queryset = mediators  # type: ignore[attr-defined]


class SessionStartForm(AccordForm):
    """The opening of a session; at the first session also the full rules and opening accounts."""

    ground_rules_restated = forms.BooleanField(label="I restated the ground rules", required=False)
    questions_invited = forms.BooleanField(
        label="I asked whether anyone had questions", required=False
    )

    def __init__(
        self, *args: Any, first: bool, parties: Iterable[Participant], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.party_fields: list[str] = []
        if first:
            self.fields["full_rules"] = forms.MultipleChoiceField(
                label="Ground rules covered in full (first session)",
                choices=FULL_RULES,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            for party in parties:
                name = f"account_{party.pk}"
                self.fields[name] = forms.CharField(
                    label=f"Opening account of {party.full_name}",
                    help_text="Why they are here, in their words.",
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    max_length=5000,
                )
                self.party_fields.append(name)

    def opening_accounts(self) -> dict[int, str]:
        """The opening accounts typed in, keyed by participant id."""
        return {
            int(name.removeprefix("account_")): self.cleaned_data.get(name, "")
            for name in self.party_fields
        }


class AttendanceForm(AccordForm):
    """For each person booked: attended, late, left early or did not attend."""

    def __init__(self, *args: Any, people: Iterable[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for person in people:
            self.fields[f"attendance_{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say whether this person attended."},
            )

    def attendance(self) -> dict[int, str]:
        """The answers keyed by participant id."""
        return {
            int(name.removeprefix("attendance_")): value
            for name, value in self.cleaned_data.items()
        }


class SessionCancelForm(AccordForm):
    """Cancel a booked session, or record that it did not go ahead."""

    did_not_attend = forms.BooleanField(
        label="It did not go ahead because someone did not attend", required=False
    )
    reason = forms.CharField(
        label="Why is it not going ahead?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the session is not going ahead."},
    )


class SessionEndForm(AccordForm):
    """Confirm that a session has finished."""


class NoteForm(AccordForm):
    """A private note or a shared summary of a session."""

    kind = forms.ChoiceField(
        label="Who is it for?",
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        help_text="Private notes: the case's mediators and supervisor only. "
        "A shared summary is shown to every party of the case.",
        error_messages={"required": "Choose a private note or a shared summary."},
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": "Write the note."},
    )


class ReasonForm(AccordForm):
    """Why the mediation is paused or reopened."""

    reason = forms.CharField(
        label="Reason",
        help_text="Seen by the case team only.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give a reason."},
    )


class EndForm(AccordForm):
    """Why the mediation ended, and a short note."""

    reason = forms.ChoiceField(
        label="How did the mediation end?",
        choices=EndReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the mediation is ending."},
    )
    note = forms.CharField(
        label="Note",
        help_text="Seen by the case team only.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Add a short note on how it ended."},
    )


class SessionMoveForm(MiamMoveForm):
    """Move a session: the new time, length, way of meeting and place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].error_messages["required"] = (
            "Enter the length of the session in minutes."
        )
