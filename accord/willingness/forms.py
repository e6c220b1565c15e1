"""Forms for the willingness pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, DateField, needed_when
from accord.willingness.models import (
    AnswerChoice,
    ContactMethodUsed,
    CourtOrderKind,
    InvitationChannel,
)


class ParticipantChoiceField(forms.ModelChoiceField):
    """A participant of the case, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class InviteForm(AccordForm):
    """Invite the other party by email or printed letter."""

    participant = ParticipantChoiceField(
        label="Who are you inviting?",
        queryset=None,
        empty_label="Choose a party",
        error_messages={"required": "Choose who you are inviting."},
    )
    channel = forms.ChoiceField(
        label="How?",
        choices=InvitationChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose email or a printed letter."},
    )
    override_reason = needed_when(
        forms.CharField(
            label="Reason for contacting them although it was said not to be safe",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=(
                "Only needed when the person who enquired said it is not safe to contact them. "
                "It is recorded in the case history."
            ),
        )
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = parties  # type: ignore[attr-defined]


class WithdrawForm(AccordForm):
    """Withdraw an unanswered invitation, with a reason."""

    reason = forms.CharField(
        label="Why are you withdrawing the invitation?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the invitation is withdrawn."},
    )


class ContactAttemptForm(AccordForm):
    """Log an attempt to reach the other party."""

    participant = ParticipantChoiceField(
        label="Who did you try to contact?",
        queryset=None,
        empty_label="Choose a party",
        error_messages={"required": "Choose who you tried to contact."},
    )
    method = forms.ChoiceField(
        label="How?",
        choices=ContactMethodUsed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you tried to make contact."},
    )
    at = forms.DateTimeField(
        label="When?",
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the attempt was made.",
            "invalid": "Enter a real date and time, for example 21/11/2026 14:30.",
        },
    )
    outcome = forms.CharField(
        label="What happened?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = parties  # type: ignore[attr-defined]


class AnswerForm(AccordForm):
    """The invited person's answer, on the public page."""

    answer = forms.ChoiceField(
        label="Would you be willing to attend a MIAM?",
        choices=AnswerChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one answer."},
    )
    text = forms.CharField(
        label="Your reasons or your questions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "If you are not willing, tell us why. If you want more information, write your "
            "questions. The mediation service will read this; the other person will not."
        ),
        error_messages={"max_length": "Your answer must be 5,000 characters or fewer."},
    )


class CodeForm(AccordForm):
    """The code from a printed letter, typed in."""

    code = forms.CharField(
        label="Your code",
        max_length=40,
        help_text="It is on your letter, for example ABCD-EFGH-JKMN-PQRS-TVWX.",
        error_messages={"required": "Enter the code from your letter."},
    )


class CourtOrderForm(AccordForm):
    """A court's order to attend a MIAM or mediation, as written on the order."""

    court = forms.CharField(
        label="Court", max_length=200, help_text="For example, Family Court at Leeds."
    )
    ordered_on = DateField(label="Date of the order", what="the date of the order")
    court_case_number = forms.CharField(label="Court's case number", max_length=40, required=False)
    orders = forms.ChoiceField(
        label="What the court ordered",
        choices=CourtOrderKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the court ordered: a MIAM or mediation."},
    )
    comply_by = DateField(
        label="Date to comply by",
        what="the date to comply by",
        required=False,
        help_text="If the order gives one; it becomes a deadline on the case.",
    )
    details = forms.CharField(
        label="Other details of the order (case team only)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
