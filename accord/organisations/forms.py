"""Forms of the service settings page: they parse input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from accord.cases.kinds import KINDS
from accord.core.forms import AccordForm


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
