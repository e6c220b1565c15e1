"""Forms of the SEND steps: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, DateField
from accord.send.models import (
    ActionOwner,
    ActionTimescale,
    AgreementReached,
    AttendsAs,
    SendDecision,
    SendIssue,
    TermBroken,
)


def _text(label: str, help_text: str = "", *, required: bool = True, missing: str = "") -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": missing or f"Enter {label.lower()}."},
    )


class _ParticipantField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class PreliminaryForm(AccordForm):
    """The LA decision, the child or young person, and what the disagreement is about."""

    la_decision = forms.ChoiceField(
        label="Which local authority decision does the family disagree with?",
        choices=SendDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the local authority decision."},
    )
    decision_notice_date = DateField(
        label="Date the decision notice was sent",
        what="the date the decision notice was sent",
        help_text="The mediation adviser must be contacted within 2 months of it.",
    )
    commissioning_la = forms.CharField(
        label="Local authority that commissions the mediation",
        max_length=200,
        error_messages={"required": "Enter the local authority that commissions the mediation."},
    )
    child_name = forms.CharField(
        label="Child's or young person's name",
        max_length=200,
        error_messages={"required": "Enter the child's or young person's name."},
    )
    child_date_of_birth = DateField(
        label="Their date of birth",
        what="their date of birth",
        help_text="Rights pass to the young person at the end of compulsory school age.",
    )
    issues = forms.MultipleChoiceField(
        label="What is the disagreement about?",
        choices=SendIssue.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose education, health or social care."},
    )
    lacks_capacity = forms.BooleanField(
        label="The young person lacks capacity for this decision, so a parent acts for them",
        required=False,
    )
    capacity_note = _text(
        "Capacity record",
        "Who assessed their capacity for this decision, and when (Mental Capacity Act 2005).",
        required=False,
    )


class ChoiceForm(AccordForm):
    """The family's choice after mediation advice."""

    wants_mediation = forms.TypedChoiceField(
        label="Does the family want mediation?",
        choices=[("yes", "Yes: arrange mediation"), ("no", "No: issue the adviser's certificate")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family wants mediation."},
    )


class ConsentForm(AccordForm):
    """The family's consent to less than 5 working days' notice."""

    note = _text(
        "How and when the family agreed",
        "For example: Joanne Harrison agreed by email on 3 March to a meeting on 6 March.",
        missing="Say how and when the family agreed to less notice.",
    )


class AttendeeForm(AccordForm):
    """Someone attending the meeting, and how they take part."""

    participant = _ParticipantField(
        label="Who",
        queryset=None,
        empty_label="Choose a participant",
        error_messages={"required": "Choose a participant of this case."},
    )
    attends_as = forms.ChoiceField(
        label="How do they take part?",
        choices=AttendsAs.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they take part."},
    )
    authority_confirmed = forms.BooleanField(
        label="They have authority to resolve the issues (local authority and health bodies)",
        required=False,
    )

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]


class CallForm(AccordForm):
    """A preparation call (the mediators' private record)."""

    participant = _ParticipantField(
        label="Who was called",
        queryset=None,
        empty_label="Choose a participant",
        error_messages={"required": "Choose a participant of this case."},
    )
    called_at = forms.DateTimeField(
        label="When",
        input_formats=DATETIME_INPUT_FORMATS,
        help_text="For example, 18/12/2026 15:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": "Enter when the call was.",
            "invalid": "Enter a real date and time, for example 18/12/2026 15:00.",
        },
    )
    summary = _text("Summary", "Only the case's mediators and supervisor read this.")

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]


class PreparationForm(AccordForm):
    """How the child's views are heard, and who speaks for a young person."""

    views_representation = _text(
        "How will the child's or young person's views be represented?",
        "For example: a one-page profile written with their teacher, read out by the parent.",
        missing="Say how the child's or young person's views will be represented.",
    )
    child_joins_part = forms.BooleanField(
        label="The child or young person will join part of the meeting", required=False
    )
    parent_speaks_for_young_person = forms.BooleanField(
        label="A parent will speak for a young person aged 16 or over",
        help_text="Then the young person's written permission is needed before the meeting.",
        required=False,
    )


class PermissionForm(AccordForm):
    """The young person's signed written permission, uploaded."""

    file = forms.FileField(
        label="Signed permission (PDF, JPEG or PNG, up to 10 MB)",
        error_messages={"required": "Choose the signed permission to upload."},
    )


class StopForm(AccordForm):
    """Stopping the meeting because a term was broken."""

    term = forms.ChoiceField(
        label="Which term was broken?",
        choices=TermBroken.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the term that was broken."},
    )
    note = _text(
        "What happened",
        "Do not name or identify the child.",
        missing="Say what happened, without naming the child.",
    )


class ActionForm(AccordForm):
    """An agreed action: what, who, by when."""

    description = _text("What was agreed", missing="Say what has been agreed.")
    owner = forms.ChoiceField(
        label="Who does it?",
        choices=ActionOwner.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who does this action: every agreed action needs an owner."
        },
    )
    owner_name = forms.CharField(
        label="Name or team", max_length=200, required=False, help_text="For example, SEND team."
    )
    timescale = forms.ChoiceField(
        label="By when?",
        choices=[(v, label) for v, label in ActionTimescale.choices],
        required=False,
        help_text="Local authority and health actions follow reg 44 unless another date was "
        "agreed in writing.",
    )
    agreed_due = DateField(
        label="Date agreed in writing",
        what="the date agreed in writing",
        required=False,
    )


class DoneForm(AccordForm):
    """Recording an action as done."""

    note = _text("Note", "For example, the amended plan was issued on 3 March.", required=False)


class OutcomeForm(AccordForm):
    """Issuing the Mediation Outcome."""

    agreement = forms.ChoiceField(
        label="How far was agreement reached?",
        choices=AgreementReached.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how far agreement was reached."},
    )
    ehc_wording_note = _text(
        "Changes to the EHC plan's wording",
        "Where the outcome changes the plan's wording, the local authority officer words it: "
        "say what was agreed and who words it.",
        required=False,
    )


class ReportForm(AccordForm):
    """Which commissioner and period to report on."""

    local_authority = forms.CharField(label="Commissioning local authority", required=False)
    start = DateField(label="From", what="the first day of the period", required=False)
    end = DateField(label="To", what="the last day of the period", required=False)


class PermissionRequestForm(AccordForm):
    """Ask the young person to sign their permission online."""

    young_person = _ParticipantField(
        label="The young person",
        queryset=None,
        empty_label="Choose the young person",
        error_messages={"required": "Choose the young person."},
    )

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = participants  # type: ignore[attr-defined]
