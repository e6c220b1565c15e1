"""Forms for the agenda pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.agenda.models import AgendaStatus, AgendaTopic
from accord.cases.kinds import kind_spec
from accord.cases.models import Case
from accord.core.forms import AccordForm, needed_when

PRIORITY_CHOICES = [
    ("1", "1 (low)"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 (high)"),
]


class AgendaItemForm(AccordForm):
    """Propose a topic: what it is, how the proposer sees it and what they hope for."""

    title = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="A few words, for example “Weekends and school holidays”.",
        error_messages={"required": "Enter a short title for the topic."},
    )
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=AgendaTopic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the topic is about."},
    )
    issue = forms.CharField(
        label="The issue",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Describe the issue."},
    )
    view = forms.CharField(
        label="How you see it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    hopes = forms.CharField(
        label="What you hope for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    touches_children = forms.BooleanField(
        label="This topic is about the children",
        required=False,
        help_text="Topics about child arrangements or maintenance always are.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = kind_spec(case.kind)
        self.fields["title"].help_text = f"A few words, for example “{spec.agenda_example}”."
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [(code, AgendaTopic(code).label) for code in spec.agenda_topics]
        if len(spec.agenda_topics) == 1:
            # Only one thing a topic can be about for this kind of case: do not ask.
            topic.widget = forms.HiddenInput()
            topic.initial = spec.agenda_topics[0]
        if "parenting_plan" not in spec.outcome_kinds:
            del self.fields["touches_children"]


class AgendaStatusForm(AccordForm):
    """Move an item to another status, with a note and, when agreeing, the agreed wording."""

    to_status = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the item now stands."},
    )
    agreed_wording = needed_when(
        forms.CharField(
            label="Agreed wording",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=5000,
            help_text="Needed when the item is agreed: the words both parties accept.",
        )
    )
    note = needed_when(
        forms.CharField(
            label="Note",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            max_length=5000,
            help_text="Needed when reopening an agreed item: say why.",
        )
    )

    def __init__(self, *args: Any, moves: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(AgendaStatus.choices)
        self.fields["to_status"].choices = [(m, labels[m]) for m in moves]  # type: ignore[attr-defined]


class AgendaOptionForm(AccordForm):
    """Add an option for settling an item."""

    text = forms.CharField(
        label="The option",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Describe the option."},
    )


class MediatorOptionForm(AgendaOptionForm):
    """A mediator's idea, which may only be offered with the parties' permission."""

    with_permission = forms.BooleanField(
        label="The parties gave permission for me to offer this idea",
        required=False,
    )


class AgendaPriorityForm(AccordForm):
    """A party's own priority for an item."""

    priority = forms.TypedChoiceField(
        label="Your priority",
        choices=PRIORITY_CHOICES,
        coerce=int,
        error_messages={
            "required": "Choose a priority from 1 (low) to 5 (high).",
            "invalid_choice": "Choose a priority from 1 (low) to 5 (high).",
        },
    )


class ProposalForm(AccordForm):
    """A party's proposal for settling an item."""

    text = forms.CharField(
        label="Your proposal",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The words you would like everyone to agree to.",
        error_messages={"required": "Write the proposal."},
    )


class MediatorProposalForm(AccordForm):
    """A mediator puts a proposal on an item for a party, with the party's permission."""

    on_behalf_of = forms.ChoiceField(
        label="Whose proposal is it?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the party whose proposal this is."},
    )
    text = forms.CharField(
        label="The proposal",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Write the proposal."},
    )
    with_permission = forms.BooleanField(
        label="The party gave permission for me to put this proposal for them", required=False
    )

    def __init__(self, *args: Any, parties: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {str(p.pk): p for p in parties}
        self.fields["on_behalf_of"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), p.full_name) for p in parties
        ]

    def clean_on_behalf_of(self) -> Any:
        return self.parties.get(self.cleaned_data["on_behalf_of"])


class ProposalAnswerForm(AccordForm):
    """Another party accepts, rejects or counters a proposal."""

    answer = forms.ChoiceField(
        label="Your answer",
        widget=forms.RadioSelect,
        choices=[
            ("accept", "Accept it"),
            ("reject", "Reject it"),
            ("counter", "Make a counter-proposal"),
        ],
        error_messages={"required": "Choose to accept, reject or counter the proposal."},
    )
    counter_text = forms.CharField(
        label="Your counter-proposal",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Only if you make a counter-proposal.",
    )


class ProposalRelayForm(AccordForm):
    """The words the mediator passes on to the other party in shuttle mediation."""

    text = forms.CharField(
        label="What the other party will read",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="The other party sees only these words, never the original.",
        error_messages={"required": "Write what the other party will read."},
    )
