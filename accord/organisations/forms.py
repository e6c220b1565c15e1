"""Forms of the service settings page: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.cases.kinds import KINDS
from accord.core.forms import AccordForm
from accord.organisations.models import Accreditation, Role


class KindsOfferedForm(AccordForm):
    """The kinds of mediation a service takes enquiries for."""

    kinds_offered = forms.MultipleChoiceField(
        label="Kinds of mediation your service offers",
        choices=[(code, spec.label) for code, spec in KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Your public enquiry forms, the staff enquiry form and the new case page offer only "
            "these kinds. Existing cases keep their kind."
        ),
        error_messages={
            "required": "Choose at least one kind of mediation your service offers.",
            "invalid_choice": "Choose the kinds of mediation from the list.",
        },
    )


class PartyApiTokensForm(AccordForm):
    """Whether the service's parties may make personal API tokens."""

    party_api_tokens = forms.BooleanField(
        label="Let the people you work with make personal API tokens",
        required=False,
        help_text=(
            "Staff can always make tokens. Most parties never need one; leave this off unless "
            "someone asks to use the API."
        ),
    )


_ROLE_CHOICES = [(role.value, role.label) for role in Role]


class StaffInviteForm(AccordForm):
    """Who to invite to the staff, in which roles, and a mediator's FMC details."""

    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation link is sent here; it is also how they will sign in.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com."
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one role.",
            "invalid_choice": "Choose the roles from the list.",
        },
    )
    fmc_urn = forms.CharField(
        label="FMC registration number (URN), for mediators", max_length=20, required=False
    )
    accreditation = forms.ChoiceField(
        label="FMC accreditation, for mediators",
        choices=Accreditation.choices,
        initial=Accreditation.NOT_ACCREDITED,
        required=False,
    )
    supervisor = forms.ChoiceField(
        label="Supervisor (PPC), for mediators not yet accredited", required=False
    )

    def __init__(self, *args: Any, supervisors: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No supervisor")] + [
            (str(person.pk), str(person)) for person in supervisors
        ]


class StaffRolesForm(AccordForm):
    """The roles a member of staff holds."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one role; to take them all away, remove the person.",
            "invalid_choice": "Choose the roles from the list.",
        },
    )


class StaffSuspendForm(AccordForm):
    """Why a member of staff is suspended (for the service's own record)."""

    reason = forms.CharField(label="Reason (optional)", widget=forms.Textarea, required=False)
