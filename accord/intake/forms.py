"""Forms for enquiries: they parse input; `services.enquiry_submit` decides what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing

from accord.cases.models import ContactMethod
from accord.core.forms import DATE_INPUT_FORMATS, AccordForm
from accord.intake.models import ConflictDecision, Issue, SafeToContact, Urgency
from accord.intake.services import MAX_CHILDREN, MAX_OTHER_PARTIES

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com."
DATE_INVALID = "Enter the date of birth as a real date, for example 27/03/2017."
STARTED_SALT = "accord.intake.started"


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 27/03/2017.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID},
    )


def _email(label: str) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )


def _text(label: str, *, max_length: int = 200, rows: int = 0, **kw: Any) -> forms.CharField:
    if rows:
        kw["widget"] = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, required=False, max_length=max_length, **kw)


class EnquiryForm(AccordForm):
    """An enquiry: the person enquiring, the other parties, children, issues and court."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name."},
    )
    email = _email("Your email address")
    phone = _text("Your phone number", max_length=40, widget=forms.TelInput)
    address = _text("Your address", max_length=1000, rows=3)
    date_of_birth = _date("Your date of birth")
    safe_contact_methods = forms.MultipleChoiceField(
        label="How can we contact you safely?",
        required=False,
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that are safe. We will only use these.",
        error_messages={"invalid_choice": "Choose safe contact methods from the list."},
    )
    safe_contact_notes = _text(
        "Anything we should know about contacting you safely",
        max_length=2000,
        rows=3,
        help_text="For example: only call after 6pm; do not leave a voicemail.",
    )
    issues = forms.MultipleChoiceField(
        label="What do you want help to sort out?",
        choices=Issue.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Choose at least one thing you want help to sort out.",
            "invalid_choice": "Choose the issues from the list.",
        },
    )
    other_issue_details = _text("If something else, tell us what", max_length=2000, rows=3)
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent this is."},
    )
    court_proceedings = forms.ChoiceField(
        label="Are there court proceedings about any of this?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether there are court proceedings."},
    )
    court_details = _text(
        "About the court proceedings",
        max_length=2000,
        rows=3,
        help_text="For example, the court, the next hearing date and the case number.",
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.public = public
        for n in range(1, MAX_OTHER_PARTIES + 1):
            self.fields[f"other_{n}_full_name"] = _text(f"Other person {n}: full name")
            self.fields[f"other_{n}_email"] = _email(f"Other person {n}: email address")
            self.fields[f"other_{n}_phone"] = _text(
                f"Other person {n}: phone number", max_length=40, widget=forms.TelInput
            )
            self.fields[f"other_{n}_address"] = _text(
                f"Other person {n}: address", max_length=1000, rows=2
            )
            self.fields[f"other_{n}_safe_to_contact"] = forms.ChoiceField(
                label=f"Is it safe for us to contact other person {n}?",
                required=False,
                choices=SafeToContact.choices,
                widget=forms.RadioSelect,
            )
        for n in range(1, MAX_CHILDREN + 1):
            self.fields[f"child_{n}_full_name"] = _text(f"Child {n}: name")
            self.fields[f"child_{n}_date_of_birth"] = _date(f"Child {n}: date of birth")
        if public:
            # A honeypot: hidden from people by CSS and from screen readers, filled by bots.
            self.fields["website"] = forms.CharField(
                label="Leave this empty",
                required=False,
                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            )
            self.fields["started"] = forms.CharField(required=False, widget=forms.HiddenInput)
            if not self.is_bound:
                self.initial["started"] = signing.TimestampSigner(salt=STARTED_SALT).sign("enquiry")

    def group(self, prefix: str) -> list[forms.BoundField]:
        """The bound fields of one repeated row, for the template."""
        return [self[name] for name in self.fields if name.startswith(prefix)]

    @property
    def other_party_rows(self) -> list[list[forms.BoundField]]:
        return [self.group(f"other_{n}_") for n in range(1, MAX_OTHER_PARTIES + 1)]

    @property
    def child_rows(self) -> list[list[forms.BoundField]]:
        return [self.group(f"child_{n}_") for n in range(1, MAX_CHILDREN + 1)]

    @property
    def main_fields(self) -> dict[str, forms.BoundField]:
        return {name: self[name] for name in self.fields}

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data in the shape `enquiry_submit` takes; empty rows are left out."""
        data = self.cleaned_data
        applicant = {
            name: data.get(name) or ("" if name != "date_of_birth" else None)
            for name in ("full_name", "email", "phone", "address", "date_of_birth")
        }
        applicant["safe_contact_methods"] = list(data.get("safe_contact_methods") or [])
        applicant["safe_contact_notes"] = data.get("safe_contact_notes") or ""
        others = []
        for n in range(1, MAX_OTHER_PARTIES + 1):
            row = {
                key: data.get(f"other_{n}_{key}") or ""
                for key in ("full_name", "email", "phone", "address", "safe_to_contact")
            }
            if any(row[key] for key in ("full_name", "email", "phone", "address")):
                others.append(row)
        children = []
        for n in range(1, MAX_CHILDREN + 1):
            name = data.get(f"child_{n}_full_name") or ""
            dob = data.get(f"child_{n}_date_of_birth")
            if name or dob:
                children.append({"full_name": name, "date_of_birth": dob})
        return {
            "applicant": applicant,
            "other_parties": others,
            "children": children,
            "issues": list(data.get("issues") or []),
            "other_issue_details": data.get("other_issue_details") or "",
            "urgency": data.get("urgency") or "",
            "court_proceedings": data.get("court_proceedings") == "yes",
            "court_details": data.get("court_details") or "",
        }


class ConflictDecisionForm(AccordForm):
    """The coordinator's decision after looking at the conflict check."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=ConflictDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    note = _text(
        "Note",
        max_length=2000,
        rows=3,
        help_text="Needed unless there is no conflict. It is kept in the case timeline.",
    )
