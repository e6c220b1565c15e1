"""Forms for complaints: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.complaints.models import ComplainantKind, ComplaintOutcome
from accord.core.forms import AccordForm, DateField, StaffChoiceField


class ComplaintLogForm(AccordForm):
    """Log a complaint received by letter, email or phone."""

    complainant_kind = forms.ChoiceField(
        label="Who is complaining?",
        choices=ComplainantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is complaining."},
    )
    complainant_name = forms.CharField(
        label="Complainant's name",
        max_length=200,
        error_messages={"required": "Enter the complainant's name."},
    )
    complainant_contact = forms.CharField(label="How to reach them", max_length=300, required=False)
    case_reference = forms.CharField(
        label="Case reference",
        max_length=24,
        required=False,
        help_text="The case complained about, if any, for example ACC-2026-0001.",
    )
    about_staff = StaffChoiceField(
        label="Member of staff complained about",
        queryset=None,
        required=False,
        empty_label="Nobody in particular",
    )
    about = forms.CharField(
        label="What is the complaint about?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Say what the complaint is about."},
    )
    received_on = DateField(label="Date received", what="the date it was received")
    fmsb_consent = forms.BooleanField(
        label=(
            "The complainant consents to release the file to the Family Mediation Standards Board"
        ),
        required=False,
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about_staff"].queryset = staff  # type: ignore[attr-defined]


class AcknowledgeForm(AccordForm):
    on = DateField(label="Date acknowledged", what="the date of the acknowledgement")


class RespondForm(AccordForm):
    on = DateField(label="Date of the response", what="the date of the response")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ComplaintOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )
    summary = forms.CharField(
        label="Summary of the response",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Summarise the response."},
    )


class PortalComplaintForm(AccordForm):
    """A party's complaint, from the portal."""

    about = forms.CharField(
        label="What is your complaint about?",
        help_text="Tell us what happened and what you would like us to do.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": "Tell us what your complaint is about."},
    )
    about_mediator = forms.BooleanField(label="My complaint is about my mediator", required=False)
    fmsb_consent = forms.BooleanField(
        label=(
            "If I take my complaint to the Family Mediation Standards Board, the service may "
            "release my file to them"
        ),
        required=False,
    )
