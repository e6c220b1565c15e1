"""Forms for the deadline pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.cases.models import Case
from accord.core.forms import AccordForm, DateField, StaffChoiceField, needed_when
from accord.deadlines.models import OverrideKind, RuleUnit
from accord.deadlines.selectors import rule_codes
from accord.organisations.selectors import staff_in

TIME_INVALID = "Enter a time on the 24-hour clock, for example 10:00."
CUSTOM = "custom"


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> DateField:
    return DateField(
        label=label, required=required, help_text=help_text, what=f"the {label.lower()}"
    )


class MeetForm(AccordForm):
    """Marking a deadline met, with an optional note."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer."},
    )


class WaiveForm(AccordForm):
    """Waiving a deadline: the reason is required and recorded."""

    reason = forms.CharField(
        label="Why is this deadline being waived?",
        help_text="For example: the parties agreed another timescale in writing.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a reason for waiving the deadline.",
            "max_length": "The reason must be 2,000 characters or fewer.",
        },
    )


class ClosureForm(AccordForm):
    """A day the service is shut, or a correction to its bank holidays."""

    date = _date_field("Date")
    name = forms.CharField(
        label="What is the day?",
        help_text="For example: Christmas closure.",
        max_length=200,
        error_messages={
            "required": "Say what the day is, for example “Christmas closure”.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of day",
        choices=OverrideKind.choices,
        initial=OverrideKind.CLOSURE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of day.", "invalid_choice": "Choose a kind."},
    )


class RuleOverrideForm(AccordForm):
    """A service's own row for a deadline rule, from a date onwards."""

    code = forms.ChoiceField(
        label="Rule",
        error_messages={"required": "Choose a rule.", "invalid_choice": "Choose a rule listed."},
    )
    period = forms.IntegerField(
        label="Period",
        help_text="How many units. Use a negative number to count back from the start.",
        error_messages={"required": "Enter the period.", "invalid": "Enter a whole number."},
    )
    unit = forms.ChoiceField(
        label="Counted in",
        choices=RuleUnit.choices,
        error_messages={"required": "Choose how the period is counted."},
    )
    at_time = needed_when(
        forms.TimeField(
            label="Time of day",
            required=False,
            help_text="Needed for “next working day at a set time”; left empty for hours, "
            "which count from the moment itself. Otherwise leave empty for 17:00.",
            widget=forms.TimeInput(attrs={"type": "time"}),
            error_messages={"invalid": TIME_INVALID},
        )
    )
    effective_from = _date_field(
        "Applies from", help_text="Cases opened on or after this date use your row."
    )
    source = forms.CharField(
        label="Source",
        help_text="Where the rule comes from, for example “Service policy agreed May 2026”.",
        max_length=300,
        error_messages={"required": "Say where the rule comes from."},
    )
    description = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "Choose a rule")] + [  # type: ignore[attr-defined]
            (code, f"{label} ({code})") for code, label in rule_codes()
        ]


class DeadlineAddForm(AccordForm):
    """Setting a deadline on a case, from a rule or at a chosen date and time."""

    rule_code = forms.ChoiceField(
        label="Rule",
        help_text="The rule in force when the case opened sets the due date.",
        error_messages={"required": "Choose a rule, or “Another deadline”."},
    )
    start = _date_field(
        "Clock starts on",
        required=False,
        help_text="The event the rule counts from, e.g. first contact. Not counted itself.",
    )
    start_time = forms.TimeField(
        label="Clock starts at",
        required=False,
        help_text="UK time. Only rules counted in hours use it; leave empty for midday.",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": TIME_INVALID},
    )
    title = forms.CharField(
        label="What has to happen",
        required=False,
        max_length=200,
        help_text="Leave empty to use the rule's name.",
        error_messages={"max_length": "The title must be 200 characters or fewer."},
    )
    due_date = _date_field("Due date", required=False, help_text="Only for “Another deadline”.")
    due_time = forms.TimeField(
        label="Due time",
        required=False,
        help_text="Leave empty for 17:00.",
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": TIME_INVALID},
    )
    owner = StaffChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Choose who owns it",
        error_messages={
            "required": "Choose who owns the deadline.",
            "invalid_choice": "Choose a person listed.",
        },
    )
    concerns_participant = forms.ChoiceField(label="Concerns", required=False)
    visible_to_participants = forms.BooleanField(
        label="Show this deadline to the participant it concerns in their portal",
        required=False,
        help_text="Only the participant chosen above sees it; nobody else in the case does.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["rule_code"].choices = (  # type: ignore[attr-defined]
            [("", "Choose a rule")]
            + [(code, label) for code, label in rule_codes()]
            + [(CUSTOM, "Another deadline (choose the date)")]
        )
        self.fields["owner"].queryset = staff_in(case.organisation)  # type: ignore[attr-defined]
        self.fields["concerns_participant"].choices = [  # type: ignore[attr-defined]
            ("", "Nobody in particular")
        ] + [
            (str(p.pk), f"{p.full_name} ({p.get_role_display()})") for p in case.participants.all()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("rule_code")
        if code == CUSTOM:
            if not cleaned.get("due_date") and "due_date" not in self.errors:
                self.add_error("due_date", "Enter the due date.")
            if not (cleaned.get("title") or "").strip() and "title" not in self.errors:
                self.add_error("title", "Enter what has to happen by the deadline.")
        elif code and not cleaned.get("start") and "start" not in self.errors:
            self.add_error("start", "Enter the date the clock starts on.")
        if cleaned.get("visible_to_participants") and not cleaned.get("concerns_participant"):
            self.add_error(
                "concerns_participant",
                "Choose the participant who should see this deadline, or untick the box below.",
            )
        return cleaned

    def participant(self) -> Any:
        """The chosen participant of this case, or None."""
        raw = self.cleaned_data.get("concerns_participant")
        if not raw:
            return None
        return self.case.participants.filter(pk=int(raw)).first()
