"""Forms of the children parts: they parse input; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from accord.children.models import ConsentAnswer
from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, DateField, StaffChoiceField
from accord.meetings.forms import MiamBookForm, meeting_mode_field, meeting_place_field


class ChildForm(AccordForm):
    full_name = forms.CharField(
        label="Child's name",
        max_length=200,
        error_messages={"required": "Enter the child's name."},
    )
    date_of_birth = DateField(label="Date of birth", what="the date of birth")


class _PartyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ConsultantForm(AccordForm):
    consultant = StaffChoiceField(
        label="Child consultant",
        queryset=None,
        empty_label="Choose a mediator trained for child-inclusive work",
        help_text="Only mediators whose profile records child-inclusive training are listed.",
        error_messages={"required": "Choose a mediator trained for child-inclusive work."},
    )

    def __init__(self, *args: Any, consultants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants  # type: ignore[attr-defined]


class ChildMeetingForm(AccordForm):
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
        initial=45,
        error_messages={
            "required": "Enter the length of the meeting in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 45.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    brought_by = _PartyField(
        label="Who brings the child?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the parent or carer who brings the child."},
    )
    confirm_warnings = MiamBookForm.base_fields["confirm_warnings"]
    confirm_reason = MiamBookForm.base_fields["confirm_reason"]

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brought_by"].queryset = parents  # type: ignore[attr-defined]


class ChildMeetingRecordForm(AccordForm):
    notes = forms.CharField(
        label="What the child said (private)",
        help_text="Read only by you, the child consultant and the case's mediators. "
        "Never shown to the parents.",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Record what the child said."},
    )
    feedback = forms.CharField(
        label="Feedback for the parents",
        help_text="Only what the child agreed may be told to their parents, in their words.",
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    child_approved = forms.BooleanField(label="The child approved this feedback", required=False)


class ConcernForm(AccordForm):
    allegation = forms.CharField(
        label="What the child said or what was seen",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what is alleged."},
    )
    alleged_against = forms.CharField(label="About whom (optional)", max_length=200, required=False)
    immediate_danger = forms.BooleanField(label="Someone is in immediate danger", required=False)
    action_taken = forms.CharField(
        label="Action taken now",
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConsentForm(AccordForm):
    answer = forms.ChoiceField(
        label="Do you consent to your child meeting the mediator?",
        choices=ConsentAnswer.choices,
        widget=forms.RadioSelect,
        help_text="Your answer is private: the other parent learns only the outcome, once you "
        "have both answered.",
        error_messages={"required": "Choose whether you consent or decline."},
    )


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _parse_handovers(text: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for part in (p.strip() for p in re.split(r"[,;\n]", text)):
        if not part:
            continue
        match = re.fullmatch(r"([A-Za-z]+)\s+(\d{1,2})[:.](\d{2})", part)
        day = match and next(
            (n for n, name in enumerate(_WEEKDAYS) if name.startswith(match[1].lower()[:3])), None
        )
        if not match or day is None or len(match[1]) < 3:
            raise forms.ValidationError(
                f"“{part}” is not a weekday and a time: write for example “Friday 15:30”."
            )
        try:
            time = dt.time(int(match[2]), int(match[3]))
        except ValueError:
            raise forms.ValidationError(f"“{part}”: the time is not a time of day.") from None
        rows.append({"weekday": day, "time": time})
    return rows


def _parse_exceptions(text: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})\s+([ABab])\b\s*(.*)", line)
        if not match:
            raise forms.ValidationError(
                f"“{line}” is not a date and a parent: write for example “02/05/2027 B”."
            )
        try:
            on = dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            raise forms.ValidationError(f"“{line}”: the date does not exist.") from None
        rows.append({"on": on, "carer": match[4].upper(), "note": match[5]})
    return rows


class ScheduleForm(AccordForm):
    name = forms.CharField(label="Name of the proposal", max_length=120)
    pattern = forms.ChoiceField(
        label="Pattern",
        required=False,
        help_text="A named 14-day pattern, or leave it on “Custom” and type the rotation.",
    )
    rotation = forms.CharField(
        label="Custom rotation",
        required=False,
        max_length=120,
        help_text="One letter a night from the anchor date: A for the first parent, B for the "
        "second. For example AABBAAAAABBBBB.",
    )
    anchor = DateField(
        label="Anchor date", what="the anchor date", help_text="Day 1 of the rotation."
    )
    handover_time = forms.TimeField(
        label="Handover time",
        initial="18:00",
        help_text="For example 18:00.",
        error_messages={"invalid": "Enter a time such as 18:00."},
    )
    handovers = forms.CharField(
        label="Other handover times (optional)",
        required=False,
        max_length=300,
        help_text="Weekdays whose exchanges are at another time, separated by commas: for "
        "example “Friday 15:30, Monday 09:00” (after school, before school).",
    )
    exceptions = forms.CharField(
        label="Single-date exceptions (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: a date, the parent (A or B) who has that night, and a note. "
        "For example “02/05/2027 B Grandma's 80th”.",
    )
    exclude_school_hours = forms.BooleanField(
        label="Leave school hours out of each parent's hours (uses the service's school terms)",
        required=False,
    )
    christmas = forms.ChoiceField(
        label="Christmas (24 to 26 December)",
        required=False,
        choices=(
            ("", "Follow the rotation"),
            ("A", "Alternate years: the first parent in even years"),
            ("B", "Alternate years: the second parent in even years"),
        ),
    )

    def __init__(
        self, *args: Any, patterns: dict[str, tuple[str, str]], parents: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pattern"].choices = [  # type: ignore[attr-defined]
            ("", "Custom rotation"),
            *[(code, label) for code, (label, _) in patterns.items()],
        ]
        if len(parents) == 2:
            a, b = parents[0].full_name, parents[1].full_name
            self.fields["rotation"].help_text = (
                f"One letter a night from the anchor date: A for {a}, B for {b}. "
                "For example AABBAAAAABBBBB."
            )
            self.fields["christmas"].choices = [  # type: ignore[attr-defined]
                ("", "Follow the rotation"),
                ("A", f"Alternate years: {a} in even years"),
                ("B", f"Alternate years: {b} in even years"),
            ]

    def clean_handovers(self) -> list[dict[str, Any]]:
        return _parse_handovers(self.cleaned_data.get("handovers") or "")

    def clean_exceptions(self) -> list[dict[str, Any]]:
        return _parse_exceptions(self.cleaned_data.get("exceptions") or "")


class SchoolTermForm(AccordForm):
    name = forms.CharField(label="Term", max_length=80, help_text="For example “Autumn term 2026”.")
    start = DateField(label="First day", what="the first day of the term")
    end = DateField(label="Last day", what="the last day of the term")


class EstimateForm(AccordForm):
    paying_parent = _PartyField(
        label="Paying parent",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The parent with the children fewer nights.",
        error_messages={"required": "Choose the paying parent."},
    )
    gross_weekly_income = forms.CharField(
        label="Paying parent's gross weekly income, in pounds",
        max_length=20,
        required=False,
        help_text="Before tax, for example 650.00. Leave it empty to use the financial "
        "disclosure's figure; a figure typed here overrides it.",
    )
    qualifying_children = forms.IntegerField(
        label="Children of this case the estimate is for",
        min_value=1,
        error_messages={"invalid": "Enter a whole number of children."},
    )
    other_children = forms.IntegerField(
        label="Other children living with the paying parent",
        min_value=0,
        initial=0,
        error_messages={"invalid": "Enter a whole number of children."},
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paying_parent"].queryset = parents  # type: ignore[attr-defined]


class ConsultantTrainingForm(AccordForm):
    trained = forms.BooleanField(label="Trained for child-inclusive mediation", required=False)
    dbs_checked_on = DateField(
        label="Date of the last DBS check",
        required=False,
        what="the DBS check date",
        help_text="Optional: the FMC no longer requires it, but the service records it.",
    )
