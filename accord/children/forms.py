"""Forms of the children parts: they parse input; the services decide what is allowed."""

from __future__ import annotations

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
