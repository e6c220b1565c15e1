"""Forms for the safeguarding pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accord.cases.models import Participant
from accord.core.forms import DATETIME_INPUT_FORMATS, AccordForm, DateField, needed_when
from accord.safeguarding.models import (
    ConcernSource,
    ConcernSubject,
    HoldDecision,
    LegalBasis,
    SafeguardingConcern,
)
from accord.safeguarding.selectors import Consultee

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(
    label: str,
    *,
    missing: str = "",
    limit: int = 200,
    required: bool = True,
    help_text: str = "",
    rows: int = 0,
) -> forms.CharField:
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": rows})
        if rows
        else forms.TextInput(attrs={"autocomplete": "off"})
    )
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": missing,
            "max_length": f"This must be {limit:,} characters or fewer.",
        },
    )


def _moment(label: str, *, missing: str, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=help_text or "For example, 18/12/2026 15:00.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": missing,
            "invalid": "Enter a real date and time, for example 18/12/2026 15:00.",
        },
    )


def _yes_no(label: str, *, missing: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": missing, "invalid_choice": missing},
    )


def now_for_input() -> str:
    """The current London time in the browser's date-and-time input format."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class ConcernRaiseForm(AccordForm):
    """Raise a safeguarding concern: what, about whom, who said so, and any action taken now."""

    source = forms.ChoiceField(
        label="When did the concern come to light?",
        choices=ConcernSource.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose when the concern came to light.",
            "invalid_choice": "Choose when the concern came to light.",
        },
    )
    immediate_danger = forms.BooleanField(
        label="Someone is in immediate danger",
        required=False,
        help_text="If anyone is in immediate danger, call 999 now, then record it here.",
    )
    action_taken = needed_when(
        _text(
            "Action taken now",
            required=False,
            limit=5000,
            rows=3,
            help_text="Required if anyone is in immediate danger: for example "
            "“999 called at 14:05” "
            "and any police reference.",
        )
    )
    subject_kind = forms.ChoiceField(
        label="Who is at risk?",
        choices=ConcernSubject.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the concern is about a child or an adult.",
            "invalid_choice": "Choose whether the concern is about a child or an adult.",
        },
    )
    subject_name = _text(
        "Name of the person at risk",
        missing="Enter the name of the person at risk, or how they are known.",
        help_text="Or how they are known, for example “the younger child”.",
    )
    allegation = _text(
        "What is alleged",
        missing="Describe what is alleged.",
        limit=5000,
        rows=6,
        help_text="Write down what was said or seen, in the words used where you can.",
    )
    alleged_by = _text(
        "Who made the allegation",
        missing="Say who made the allegation.",
        help_text="For example, “Alice Smith, at her MIAM”.",
    )
    alleged_against = _text(
        "Who is said to have caused the harm",
        required=False,
        help_text="Leave empty if not known or not said.",
    )


class ThresholdDecisionForm(AccordForm):
    """The threshold decision: significant harm or not, whom you consulted, and why."""

    consulted = forms.ChoiceField(
        label="Who did you consult?",
        widget=forms.RadioSelect,
        help_text="The decision is made with the case's supervisor or the safeguarding lead.",
        error_messages={
            "required": "Choose the supervisor or safeguarding lead you consulted.",
            "invalid_choice": "Choose the supervisor or safeguarding lead you consulted.",
        },
    )
    threshold_met = _yes_no(
        "Has a child suffered, or are they likely to suffer, significant harm?",
        missing="Say whether the significant-harm threshold is met.",
    )
    referral_needed = _yes_no(
        "Is a referral to children's services needed?",
        missing="Say whether a referral to children's services is needed.",
        help_text="If the threshold is met, a referral must be made.",
    )
    reasons = _text(
        "Reasons for the decision", missing="Give the reasons for the decision.", limit=5000, rows=5
    )
    decided_at = _moment("When was the decision made?", missing="Enter when the decision was made.")

    def __init__(self, *args: Any, consultees: list[Consultee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consulted"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(c.user.pk), f"{c.user.full_name or c.user.email} ({c.capacity})")
            for c in consultees
        ]


class ParentChoiceField(forms.ModelChoiceField):
    """A parent on the case, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class SelfReferralOfferForm(AccordForm):
    """Offer the parent who raised the concern the chance to refer themselves."""

    parent = ParentChoiceField(
        label="Which parent will make the referral?",
        queryset=Participant.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The parent who raised the concern.",
        error_messages={
            "required": "Choose the parent who will make the referral.",
            "invalid_choice": "Choose a parent taking part in this case.",
        },
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents


class _ReferralFields(AccordForm):
    agency = _text(
        "Agency",
        missing="Enter the agency, such as the council's children's social care team.",
        help_text="For example, “Leeds Children's Social Work Service”.",
    )
    area = _text(
        "Local authority area where the child lives",
        missing="Enter the local authority area where the child lives.",
    )
    reference = _text("Reference", required=False, limit=100, help_text="As given by the agency.")
    information_shared = _text(
        "What was shared",
        missing="Record what was shared with children's services.",
        limit=5000,
        rows=5,
    )


class SelfReferralConfirmForm(_ReferralFields):
    """The parent's referral, as they reported it."""

    referred_on = DateField(label="Date of the referral", what="the date of the referral")
    referred_by_name = _text(
        "Referred by", required=False, help_text="Leave empty if the parent made it themselves."
    )

    field_order = ["agency", "area", "referred_on", "reference", "referred_by_name"]


class ReferralForm(_ReferralFields):
    """The service's own referral to children's services."""

    referred_at = _moment(
        "When was the referral made?", missing="Enter when the referral was made."
    )
    referred_by_name = _text(
        "Referred by", missing="Enter the name of the person who made the referral."
    )
    contact_name = _text(
        "Who did you speak to?",
        missing="Enter who you spoke to, or “Duty team” if you did not get a name.",
        help_text="Their name, or “Duty team” if you did not get a name.",
    )

    field_order = [
        "agency",
        "area",
        "referred_at",
        "reference",
        "referred_by_name",
        "contact_name",
    ]


class DisclosureForm(AccordForm):
    """One disclosure of information outside the mediation, with its legal basis."""

    legal_basis = forms.ChoiceField(
        label="Legal basis",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the legal basis for the disclosure.",
            "invalid_choice": "Choose the legal basis for the disclosure.",
        },
    )
    concern = forms.ChoiceField(label="Related concern", required=False)
    recipient_name = _text(
        "Shared with (name)", missing="Enter the name of the person it was shared with."
    )
    recipient_organisation = _text("Their organisation", missing="Enter their organisation.")
    disclosed_at = _moment("When was it shared?", missing="Enter when the information was shared.")
    information_shared = _text(
        "What was shared", missing="Record what was shared.", limit=5000, rows=5
    )

    def __init__(self, *args: Any, concerns: list[SafeguardingConcern], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["concern"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None")] + [
            (str(c.pk), f"Concern #{c.pk}, raised {timezone.localtime(c.raised_at):%d/%m/%Y}")
            for c in concerns
        ]


class InvestigationForm(AccordForm):
    """An investigation is open: pause the mediation."""

    investigating_agency = _text(
        "Agency investigating",
        missing="Enter the agency investigating, such as the council's children's services.",
    )
    investigation_reference = _text("Their reference", required=False, limit=100)
    reasons = _text(
        "Why the mediation is paused",
        missing="Say why the mediation is paused.",
        limit=5000,
        rows=4,
    )


class HoldDecisionForm(AccordForm):
    """Lift the pause: resume the mediation, or end it and close the case."""

    decision = forms.ChoiceField(
        label="What have you decided?",
        choices=HoldDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the mediation resumes or ends.",
            "invalid_choice": "Choose whether the mediation resumes or ends.",
        },
    )
    reasons = _text(
        "Reasons for the decision", missing="Give the reasons for the decision.", limit=5000, rows=4
    )


class ConcernCloseForm(AccordForm):
    """Close a concern when nothing further is to be done about it."""

    reason = _text(
        "Why is the concern closed?", missing="Say why the concern is closed.", limit=5000, rows=3
    )
