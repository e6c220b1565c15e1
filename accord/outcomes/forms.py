"""Forms for the outcome pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.cases.models import Participant
from accord.core.forms import AccordForm, DateField
from accord.outcomes import content

#: Blank rows offered under the existing ones, so a term or item can be added without script.
SPARE_ROWS = 3


def _text(label: str, *, required: bool, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=content.TEXT_LIMIT,
        error_messages={"required": f"Enter the {label.lower()}."},
    )


class OutcomeSectionsForm(AccordForm):
    """The editable sections of one outcome, laid out for its kind."""

    def __init__(self, *args: Any, kind: str, sections: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", content.as_fields(kind, sections))
        super().__init__(*args, **kwargs)
        self.kind = kind
        for key, heading, required in content.TEXT_SECTIONS[kind]:
            self.fields[key] = _text(heading, required=required)
        if kind == content.MOU:
            for n in range(1, len(sections.get("items", [])) + SPARE_ROWS + 1):
                self.fields[f"item_{n}_title"] = forms.CharField(
                    label=f"Proposal {n}: heading", required=False, max_length=200
                )
                self.fields[f"item_{n}_wording"] = _text(
                    f"Proposal {n}: wording", required=False, rows=3
                )
            # Proposals sit between the introduction and the next steps, as in the document.
            self.order_fields(["introduction", *[f for f in self.fields if f.startswith("item_")]])
        if kind == content.PARENTING_PLAN:
            choices = [("", "Choose a heading"), *content.CAFCASS_HEADINGS]
            for n in range(1, len(sections.get("items", [])) + SPARE_ROWS + 1):
                self.fields[f"item_{n}_title"] = forms.CharField(
                    label=f"Agreed item {n}: title", required=False, max_length=200
                )
                self.fields[f"item_{n}_wording"] = _text(
                    f"Agreed item {n}: wording", required=False, rows=3
                )
                self.fields[f"item_{n}_heading"] = forms.ChoiceField(
                    label=f"Agreed item {n}: Cafcass heading",
                    choices=choices,
                    required=False,
                    help_text="Suggested from the item's words; choose the one that fits.",
                )
            self.fields["empty_headings"] = forms.ChoiceField(
                label="Headings with nothing agreed",
                choices=content.EMPTY_HEADING_CHOICES,
                widget=forms.RadioSelect,
                initial=content.TO_DISCUSS,
            )
            self.fields["review_date"] = DateField(
                label="Review date", required=False, what="the review date"
            )
            items = [f for f in self.fields if f.startswith("item_")]
            self.order_fields([*items, "empty_headings", "review_date"])
        if kind == content.SETTLEMENT:
            for n in range(1, len(sections.get("terms", [])) + SPARE_ROWS + 1):
                self.fields[f"term_{n}_description"] = _text(
                    f"Term {n}: what is agreed", required=False, rows=2
                )
                self.fields[f"term_{n}_amount"] = forms.CharField(
                    label=f"Term {n}: amount in pounds",
                    required=False,
                    max_length=30,
                    help_text="For example 1234.50. Leave blank if no money changes hands.",
                )
                self.fields[f"term_{n}_due_date"] = DateField(
                    label=f"Term {n}: by when", required=False, what=f"the date for term {n}"
                )
                self.fields[f"term_{n}_who"] = forms.CharField(
                    label=f"Term {n}: who acts", required=False, max_length=200
                )


class OutcomeShareForm(AccordForm):
    """Choose the participants to share an issued outcome with."""

    participants = forms.ModelMultipleChoiceField(
        label="Share with",
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="They can open it from their page in the portal.",
        error_messages={"required": "Choose who to share it with."},
    )

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        field.queryset = participants  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.full_name} ({p.get_role_display()})"
            + ("" if p.portal_access else ", no portal access")
        )


class OutcomeIssueForm(AccordForm):
    """The final confirmation before an outcome is issued (the button sends confirm=yes)."""

    confirm = forms.BooleanField(
        required=True,
        widget=forms.HiddenInput,
        error_messages={"required": "Confirm the issue to go ahead."},
    )


class OutcomeCorrectionForm(AccordForm):
    """Why an issued outcome is being corrected by a new version."""

    reason = forms.CharField(
        label="Reason for the correction",
        help_text=(
            "Shown with the old version to everyone it was shared with. "
            "Do not include anything said in private."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for the correction."},
    )
