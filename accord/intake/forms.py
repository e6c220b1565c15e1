"""Forms for enquiries: they parse input; `services.enquiry_submit` decides what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing

from accord.cases.kinds import KINDS
from accord.cases.models import ContactMethod
from accord.core.forms import AccordForm, DateField, needed_when
from accord.intake.models import ConflictDecision, Issue, LADecision, SafeToContact, Urgency
from accord.intake.services import MAX_CHILDREN, MAX_OTHER_PARTIES, SAFE_CONTACT_REASON

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com."
STARTED_SALT = "accord.intake.started"


def _date(label: str, *, autocomplete: str = "") -> DateField:
    return DateField(
        label=label, required=False, what="the date of birth", autocomplete=autocomplete
    )


def _email(label: str, *, autocomplete: str = "off") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=False,
        error_messages={"invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": autocomplete}),
    )


def _text(label: str, *, max_length: int = 200, rows: int = 0, **kw: Any) -> forms.CharField:
    if rows:
        kw["widget"] = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, required=False, max_length=max_length, **kw)


class BaseEnquiryForm(AccordForm):
    """What every enquiry asks: who is enquiring, how to reach them safely, and how urgent it is.

    A public form also carries a honeypot and a signed timestamp (see `intake.views`).
    """

    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = _email("Your email address", autocomplete="email")
    phone = _text(
        "Your phone number",
        max_length=40,
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    address = _text(
        "Your address",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    safe_contact_methods = forms.MultipleChoiceField(
        label="How can we contact you safely?",
        required=False,
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=("Select all that are safe. We will only use these. " + SAFE_CONTACT_REASON),
        error_messages={"invalid_choice": "Choose safe contact methods from the list."},
    )
    safe_contact_notes = _text(
        "Anything we should know about contacting you safely",
        max_length=2000,
        rows=3,
        help_text="For example: only call after 6pm; do not leave a voicemail.",
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent this is."},
    )

    #: "family", "send" or "general": the questions this form asks (for the template).
    group = ""

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.public = public
        if public:
            # A public enquiry needs one of these (see intake.services._check_safe_contact).
            for name in ("email", "phone", "safe_contact_methods"):
                needed_when(self.fields[name])
            # Said where people type them, not only further down by the safe ways to contact.
            self.fields["email"].help_text = "Give an email address, a phone number or both."

    def _add_bot_traps(self) -> None:
        if not self.public:
            return
        # A honeypot: hidden from people by CSS and from screen readers, filled by bots.
        self.fields["website"] = forms.CharField(
            label="Leave this empty",
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields["started"] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial["started"] = signing.TimestampSigner(salt=STARTED_SALT).sign("enquiry")

    def rows(self, prefix: str) -> list[forms.BoundField]:
        """The bound fields of one repeated row, for the template."""
        return [self[name] for name in self.fields if name.startswith(prefix)]

    @property
    def main_fields(self) -> dict[str, forms.BoundField]:
        return {name: self[name] for name in self.fields}

    def _applicant(self, names: tuple[str, ...]) -> dict[str, Any]:
        data = self.cleaned_data
        applicant = {
            name: data.get(name) or ("" if name != "date_of_birth" else None) for name in names
        }
        applicant["safe_contact_methods"] = list(data.get("safe_contact_methods") or [])
        applicant["safe_contact_notes"] = data.get("safe_contact_notes") or ""
        return applicant

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data in the shape the form's enquiry service takes.

        Each kind of enquiry form (family, SEND, general) answers this for its own service.
        """
        raise NotImplementedError(f"{type(self).__name__} must give its service's arguments.")


_COURT_CHOICES = [("no", "No"), ("yes", "Yes")]


class EnquiryForm(BaseEnquiryForm):
    """A family enquiry: the person enquiring, the other parties, children, issues and court."""

    group = "family"

    date_of_birth = _date("Your date of birth", autocomplete="bday")
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
    court_proceedings = forms.ChoiceField(
        label="Are there court proceedings about any of this?",
        choices=_COURT_CHOICES,
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
        super().__init__(*args, public=public, **kwargs)
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
        self._add_bot_traps()

    @property
    def other_party_rows(self) -> list[list[forms.BoundField]]:
        return [self.rows(f"other_{n}_") for n in range(1, MAX_OTHER_PARTIES + 1)]

    @property
    def child_rows(self) -> list[list[forms.BoundField]]:
        return [self.rows(f"child_{n}_") for n in range(1, MAX_CHILDREN + 1)]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data in the shape `enquiry_submit` takes; empty rows are left out."""
        data = self.cleaned_data
        applicant = self._applicant(("full_name", "email", "phone", "address", "date_of_birth"))
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


#: The family enquiry form under the name of its group.
FamilyEnquiryForm = EnquiryForm


class SendEnquiryForm(BaseEnquiryForm):
    """A SEND enquiry: the parent or young person, the child, the LA and its decision."""

    group = "send"

    applicant_role = forms.ChoiceField(
        label="Are you the parent or carer, or the young person?",
        choices=[
            ("parent_carer", "I am the parent or carer of the child or young person"),
            ("young_person", "I am the young person"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether you are the parent or carer, or the young person.",
            "invalid_choice": "Say whether you are the parent or carer, or the young person.",
        },
    )
    child_full_name = forms.CharField(
        label="The child or young person's full name",
        max_length=200,
        error_messages={"required": "Enter the name of the child or young person."},
    )
    child_date_of_birth = DateField(
        label="The child or young person's date of birth",
        what="the child or young person's date of birth",
    )
    la_name = forms.CharField(
        label="The local authority that made the decision",
        max_length=200,
        help_text="For example, Northshire County Council.",
        error_messages={"required": "Enter the name of the local authority."},
    )
    la_officer_name = _text("The name of the local authority officer, if you know it")
    la_email = _email("The officer's or SEND team's email address, if you know it")
    la_phone = _text(
        "The officer's or SEND team's phone number, if you know it",
        max_length=40,
        widget=forms.TelInput,
    )
    la_decision = forms.ChoiceField(
        label="What did the local authority decide?",
        choices=LADecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the decision you disagree with.",
            "invalid_choice": "Choose the decision from the list.",
        },
    )
    la_decision_date = DateField(
        label="The date of the decision letter",
        what="the date of the local authority's decision",
        help_text=(
            "You must contact a mediation adviser within 2 months of "
            "this date if you may appeal to the Tribunal."
        ),
    )

    def __init__(self, *args: Any, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, public=public, **kwargs)
        self._add_bot_traps()

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data in the shape `send_enquiry_submit` takes."""
        data = self.cleaned_data
        return {
            "applicant": self._applicant(("full_name", "email", "phone", "address")),
            "applicant_role": data.get("applicant_role") or "",
            "child": {
                "full_name": data.get("child_full_name") or "",
                "date_of_birth": data.get("child_date_of_birth"),
            },
            "local_authority": {
                "name": data.get("la_name") or "",
                "officer_name": data.get("la_officer_name") or "",
                "email": data.get("la_email") or "",
                "phone": data.get("la_phone") or "",
            },
            "la_decision": data.get("la_decision") or "",
            "la_decision_date": data.get("la_decision_date"),
            "urgency": data.get("urgency") or "",
        }


class GeneralEnquiryForm(BaseEnquiryForm):
    """A civil, workplace or community enquiry: the parties or organisations and the dispute.

    Given one `kind`, the form is for that kind; given several, it asks which.
    """

    group = "general"

    organisation_name = _text(
        "If you are enquiring for an organisation, its name",
        help_text="For example, your business, employer, housing association or residents' group.",
    )
    dispute_summary = forms.CharField(
        label="What is the dispute about?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few sentences are enough: what happened, and what you would like to change.",
        error_messages={"required": "Tell us what the dispute is about."},
    )
    court_proceedings = forms.ChoiceField(
        label="Are there any court, tribunal or other proceedings about this?",
        choices=_COURT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether there are any proceedings."},
    )
    court_details = _text(
        "About the proceedings",
        max_length=2000,
        rows=3,
        help_text="For example, the court or tribunal, the next date and the claim number.",
    )

    def __init__(
        self,
        *args: Any,
        kinds: tuple[str, ...] = (),
        public: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, public=public, **kwargs)
        self.kinds = kinds
        if len(kinds) != 1:
            self.fields["kind"] = forms.ChoiceField(
                label="What kind of dispute is it?",
                choices=[(kind, KINDS[kind].label) for kind in kinds],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the kind of mediation.",
                    "invalid_choice": "Choose the kind of mediation from the list.",
                },
            )
        for n in range(1, MAX_OTHER_PARTIES + 1):
            self.fields[f"other_{n}_full_name"] = _text(
                f"Other party {n}: the person's name, or the organisation's"
            )
            self.fields[f"other_{n}_organisation_name"] = _text(
                f"Other party {n}: the organisation, if a person speaks for one"
            )
            self.fields[f"other_{n}_email"] = _email(f"Other party {n}: email address")
            self.fields[f"other_{n}_phone"] = _text(
                f"Other party {n}: phone number", max_length=40, widget=forms.TelInput
            )
            self.fields[f"other_{n}_address"] = _text(
                f"Other party {n}: address", max_length=1000, rows=2
            )
        self._add_bot_traps()

    @property
    def other_party_rows(self) -> list[list[forms.BoundField]]:
        return [self.rows(f"other_{n}_") for n in range(1, MAX_OTHER_PARTIES + 1)]

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data in the shape `general_enquiry_submit` takes; empty rows left out."""
        data = self.cleaned_data
        applicant = self._applicant(("full_name", "organisation_name", "email", "phone", "address"))
        keys = ("full_name", "organisation_name", "email", "phone", "address")
        others = []
        for n in range(1, MAX_OTHER_PARTIES + 1):
            row = {key: data.get(f"other_{n}_{key}") or "" for key in keys}
            if any(row.values()):
                others.append(row)
        kind = self.kinds[0] if len(self.kinds) == 1 else data.get("kind") or ""
        return {
            "kind": kind,
            "applicant": applicant,
            "other_parties": others,
            "dispute_summary": data.get("dispute_summary") or "",
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
    note = needed_when(
        _text(
            "Note",
            max_length=2000,
            rows=3,
            help_text="Needed unless there is no conflict. It is kept in the case timeline.",
        )
    )
