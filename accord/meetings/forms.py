"""Forms for the MIAM pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, StaffChoiceField
from accord.meetings.models import (
    CHECKLIST,
    CURRENT_CERTIFICATE_OUTCOMES,
    SCREENING_QUESTIONS,
    CourtApplication,
    FundingKind,
    LegalAidBasis,
    LegalAidOutcome,
    MeetingMode,
    ScreeningAnswer,
    SuitabilityRoute,
)


def meeting_mode_field() -> forms.ChoiceField:
    """How a meeting with a mediator is held (MIAMs and mediation sessions)."""
    return forms.ChoiceField(
        label="How will it be held?",
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose in person, video call or phone call."},
    )


def meeting_place_field() -> forms.CharField:
    """Where a meeting is held: the address or room, the video link, or the number to call."""
    return forms.CharField(
        label="Place, video link or number to call",
        max_length=500,
        error_messages={
            "required": "Enter the place, the video link or the number to call.",
            "max_length": "The place or link must be 500 characters or fewer.",
        },
    )


class PartyChoiceField(forms.ModelMultipleChoiceField):
    """Parties of the case, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class MiamBookForm(AccordForm):
    """Book a MIAM: for whom, with which mediator, when, how and where."""

    attendees = PartyChoiceField(
        label="Who is the MIAM for?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Usually one party. Choose more than one only for a joint MIAM.",
        error_messages={"required": "Choose who the MIAM is for."},
    )
    joint = forms.BooleanField(
        label="Joint MIAM: the parties have asked to attend together", required=False
    )
    mediator = StaffChoiceField(
        label="Mediator",
        queryset=None,
        empty_label="Choose a mediator",
        error_messages={"required": "Choose the mediator."},
    )
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="For example, 18/12/2026 15:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the MIAM starts.",
            "invalid": "Enter a real date and time, for example 18/12/2026 15:00.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=45,
        error_messages={
            "required": "Enter the length of the MIAM in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 45.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    add_to_team = forms.BooleanField(
        label="Add them to the case team if they are not on it",
        required=False,
        help_text="Only mediators on the case team can be booked; tick to add this one "
        "(as lead mediator, or co-mediator if there is a lead).",
    )
    confirm_warnings = forms.BooleanField(
        label="Book anyway: I have read the warnings",
        required=False,
        help_text="Shown warnings (a clash, a weekend, a bank holiday or a closure) must be "
        "confirmed before saving.",
    )
    confirm_reason = forms.CharField(
        label="Reason for booking over a clash",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The reason must be 500 characters or fewer."},
    )

    def __init__(self, *args: Any, parties: Any, mediators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = parties  # type: ignore[attr-defined]
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]


class MiamRecordPastForm(MiamBookForm):
    """Record a MIAM that took place before it was put in Accord, with what was covered."""

    covered = forms.MultipleChoiceField(
        label="What did you cover?",
        choices=CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["confirm_warnings"]
        del self.fields["confirm_reason"]
        self.fields["starts_at"].label = "When did it take place?"


class MiamMoveForm(AccordForm):
    """Move a MIAM: the new time, length, way of meeting and place."""

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
            "required": "Enter the length of the MIAM in minutes.",
            "invalid": "Enter the length as a whole number of minutes, such as 45.",
        },
    )
    mode = meeting_mode_field()
    place = meeting_place_field()
    confirm_warnings = MiamBookForm.base_fields["confirm_warnings"]
    confirm_reason = MiamBookForm.base_fields["confirm_reason"]


class MiamCancelForm(AccordForm):
    """Cancel a MIAM, saying why (kept for the team; never emailed)."""

    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the case team only. The people attending are told it is cancelled, "
        "not why.",
        error_messages={
            "required": "Say why the MIAM is cancelled.",
            "max_length": "Keep the reason to 2,000 characters.",
        },
    )


class MiamDidNotAttendForm(AccordForm):
    """Record who did not come to a MIAM."""

    absent = PartyChoiceField(
        label="Who did not attend?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who did not attend."},
    )

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = attendees  # type: ignore[attr-defined]


class MiamHeldForm(AccordForm):
    """Record that a MIAM was held, and what the mediator covered."""

    covered = forms.MultipleChoiceField(
        label="What did you cover?",
        choices=CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick everything you explained or assessed.",
    )


def _answer_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=ScreeningAnswer.choices,
        widget=forms.RadioSelect,
        initial=ScreeningAnswer.NO,
        error_messages={"required": f"{label}: answer yes, no or unsure."},
    )


def _notes_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=f"Notes on {label[0].lower()}{label[1:]}",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Notes must be 5,000 characters or fewer."},
    )


class ScreeningForm(AccordForm):
    """A party's private screening: each question yes, no or unsure, with notes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SCREENING_QUESTIONS:
            self.fields[name] = _answer_field(label)
            self.fields[f"{name}_notes"] = _notes_field(label)
            if name == "childrens_services":
                self.fields["consent_to_contact_social_worker"] = forms.BooleanField(
                    label="The party consents to us contacting their social worker",
                    required=False,
                )
                self.fields["social_worker_details"] = forms.CharField(
                    label="Social worker's name and contact details",
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        for flag, label in (
            ("injunction", "There is an injunction"),
            ("non_molestation_order", "There is a non-molestation order"),
            ("bail_conditions", "There are bail conditions"),
        ):
            self.fields[flag] = forms.BooleanField(label=label, required=False)


class SuitabilityForm(AccordForm):
    """The mediator's suitability decision, with reasons and, if not suitable, signposting."""

    route = forms.ChoiceField(
        label="Decision",
        choices=SuitabilityRoute.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose joint mediation, shuttle mediation or not suitable."},
    )
    reasons = forms.CharField(
        label="Reasons",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the case's mediators, supervisor and safeguarding lead will see these.",
        error_messages={
            "required": "Give the reasons for the decision.",
            "max_length": "The reasons must be 5,000 characters or fewer.",
        },
    )
    signposting = forms.CharField(
        label="Signposting, if mediation is not suitable",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the parties were pointed to: support services, legal advice or the court.",
        error_messages={"max_length": "The signposting must be 5,000 characters or fewer."},
    )


class MiamCertificateForm(AccordForm):
    """Issue a MIAM certificate: the outcome, the court application, and the typed signature."""

    outcome = forms.ChoiceField(
        label="Outcome of the MIAM",
        choices=CURRENT_CERTIFICATE_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the MIAM."},
    )
    court_application = forms.ChoiceField(
        label="Court application",
        choices=CourtApplication.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the court application the certificate supports."},
    )
    sole_trader_name = forms.CharField(
        label="Sole trader name (optional)",
        required=False,
        max_length=200,
        help_text="Only if you practise as a sole trader under another name.",
        error_messages={"max_length": "The sole trader name must be 200 characters or fewer."},
    )
    signed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        error_messages={"required": "Type your full name to sign the certificate."},
    )
    confirm = forms.BooleanField(
        label=(
            "I confirm that the party attended this MIAM, that the details above are true, and "
            "that typing my name is my electronic signature"
        ),
        required=False,
    )


class FundingForm(AccordForm):
    """How one party is funded; the legal aid and voucher questions apply only to their choice."""

    kind = forms.ChoiceField(
        label="How is this party's mediation paid for?",
        choices=FundingKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose legal aid, the Family Mediation Voucher or private fees."
        },
    )
    legal_aid_basis = forms.ChoiceField(
        label="Legal aid: how was eligibility assessed?",
        choices=LegalAidBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    legal_aid_outcome = forms.ChoiceField(
        label="Legal aid: outcome",
        choices=LegalAidOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    voucher_amount = forms.DecimalField(
        label="Family Mediation Voucher: amount in pounds",
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text="For example, 500.00. The voucher does not pay for the MIAM.",
        error_messages={
            "invalid": "Enter the voucher amount in pounds and pence, such as 500.00.",
            "max_digits": "Enter the voucher amount in pounds and pence, such as 500.00.",
            "max_decimal_places": "Enter the amount in pounds and pence, such as 500.00.",
            "max_whole_digits": "Enter the voucher amount in pounds and pence, such as 500.00.",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        # Answers left in the questions of another choice are not part of this answer.
        if kind != FundingKind.LEGAL_AID:
            data["legal_aid_basis"] = ""
            data["legal_aid_outcome"] = ""
        if kind != FundingKind.VOUCHER:
            data["voucher_amount"] = None
        return data
