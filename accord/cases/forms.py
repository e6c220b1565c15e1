"""Forms for the staff case pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.accounts.models import User
from accord.cases.models import Case, CaseKind, ContactMethod, ParticipantRole
from accord.cases.workflows import WORKFLOWS
from accord.core.forms import AccordForm, DateField, StaffChoiceField
from accord.organisations.models import Organisation, Role
from accord.organisations.selectors import staff_in

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com."


def stage_filter_choices() -> list[tuple[str, str]]:
    """Every stage code once, labelled with each workflow's name for it (codes are shared)."""
    labels: dict[str, list[str]] = {}
    for workflow in dict.fromkeys(WORKFLOWS.values()):
        for stage in workflow.stages:
            names = labels.setdefault(stage.code, [])
            if stage.label not in names:
                names.append(stage.label)
    return [("", "Any stage")] + [(code, " / ".join(names)) for code, names in labels.items()]


def _staff_field(label: str, *, empty_label: str, help_text: str = "") -> StaffChoiceField:
    return StaffChoiceField(
        label=label,
        queryset=User.objects.none(),
        required=False,
        empty_label=empty_label,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose someone from the list."},
    )


class CaseFilterForm(AccordForm):
    """Search and filters for the case list; invalid values are dropped, not shown as errors."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Reference, title or participant name",
        widget=forms.SearchInput(),
    )
    kind = forms.ChoiceField(
        label="Kind of case", required=False, choices=[("", "Any kind"), *CaseKind.choices]
    )
    stage = forms.ChoiceField(label="Stage", required=False, choices=stage_filter_choices)
    mediator = _staff_field("Mediator", empty_label="Any mediator")
    mine = forms.BooleanField(label="Only my cases", required=False)
    include_closed = forms.BooleanField(label="Include closed cases", required=False)

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mediator"]
        assert isinstance(field, forms.ModelChoiceField)
        if organisation is not None:
            field.queryset = staff_in(organisation, Role.MEDIATOR)


class CaseOpenForm(AccordForm):
    """Open a new case: its kind, a short title and, optionally, the case team."""

    kind = forms.ChoiceField(
        label="Kind of mediation",
        choices=[("", "Choose a kind"), *CaseKind.choices],
        error_messages={
            "required": "Choose the kind of mediation.",
            "invalid_choice": "Choose the kind of mediation from the list.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name, such as the parties' surnames. Do not include addresses.",
        error_messages={"required": "Enter a short title for the case."},
    )
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_mediator = _staff_field("Lead mediator", empty_label="Not assigned yet")
    co_mediator = _staff_field("Co-mediator", empty_label="None")
    supervisor = _staff_field(
        "Supervisor (PPC)",
        empty_label="The lead mediator's usual supervisor",
        help_text="Leave this to use the supervisor recorded on the lead mediator's profile.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_team_querysets(self, organisation)
        # Only the kinds the service offers (its admins choose them on the settings page).
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        offered = set(organisation.kinds_offered or [])
        kind.choices = [("", "Choose a kind"), *(c for c in CaseKind.choices if c[0] in offered)]
        self._organisation_name = organisation.name

    def clean(self) -> dict[str, Any]:
        """A known kind the service does not offer is named as such, not as a bad choice."""
        data = super().clean() or {}
        asked = self.data.get("kind") if self.is_bound else None
        if "kind" in self.errors and asked in CaseKind.values:
            self.errors["kind"] = self.error_class(
                [
                    f"{self._organisation_name} does not offer {CaseKind(asked).label} "
                    "mediation: choose a kind from the list."
                ]
            )
        return data


class TeamForm(AccordForm):
    """Choose the case team from the service's mediators and supervisors."""

    lead_mediator = _staff_field("Lead mediator", empty_label="Not assigned")
    co_mediator = _staff_field("Co-mediator", empty_label="None")
    supervisor = _staff_field("Supervisor (PPC)", empty_label="None")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_team_querysets(self, organisation)


def _set_team_querysets(form: forms.Form, organisation: Organisation) -> None:
    for name, role in (
        ("lead_mediator", Role.MEDIATOR),
        ("co_mediator", Role.MEDIATOR),
        ("supervisor", Role.SUPERVISOR),
    ):
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_in(organisation, role)


class StageMoveForm(AccordForm):
    """Move a case on (or back, or to closed) along the moves its workflow allows."""

    to_stage = forms.ChoiceField(
        label="Move the case to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage to move the case to.",
            "invalid_choice": "Choose one of the stages offered.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        help_text="This is kept in the case timeline.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason for moving the case."},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (stage.code, stage.label) for stage in case.workflow.allowed_from(case.stage)
        ]


class CaseDetailsForm(AccordForm):
    """Change a case's title and summary."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short name, such as the parties' surnames. Do not include addresses.",
        error_messages={"required": "Enter a title."},
    )
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ParticipantForm(AccordForm):
    """A participant's details; the address fields are left out for those who may not see them."""

    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *ParticipantRole.choices],
        error_messages={
            "required": "Choose the participant's role.",
            "invalid_choice": "Choose the participant's role from the list.",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the participant's full name."},
    )
    organisation_name = forms.CharField(
        label="Organisation",
        required=False,
        max_length=200,
        help_text="For professionals: the school, local authority or firm.",
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TelInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Address", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential_address = forms.BooleanField(
        label="Keep this address confidential",
        required=False,
        help_text="Only the case team (mediators and supervisor) will see it.",
    )
    date_of_birth = DateField(label="Date of birth", required=False, what="the date of birth")
    safe_contact_methods = forms.MultipleChoiceField(
        label="Safe ways to contact this person",
        required=False,
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Leave all empty if not yet known.",
        error_messages={"invalid_choice": "Choose safe contact methods from the list."},
    )
    safe_contact_notes = forms.CharField(
        label="Notes on safe contact",
        required=False,
        max_length=2000,
        help_text="For example: only call after 6pm; do not leave voicemail.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, show_address: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_address:
            # Someone who may not read a confidential address must not overwrite it, nor lift
            # the flag (which would reveal it to them): both fields leave the form entirely.
            del self.fields["address"]
            del self.fields["confidential_address"]
