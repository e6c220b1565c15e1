"""Forms of financial disclosure: they parse input (pounds to pence); the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import AccordForm, DateField
from accord.finance.models import FormEPart, Owner
from accord.finance.money import MoneyError, pounds_to_pence


class ItemForm(AccordForm):
    """One item of a party's disclosure."""

    part = forms.ChoiceField(
        label="Which part of the disclosure is it?",
        choices=[("", "Choose a part"), *FormEPart.choices],
        error_messages={"required": "Choose which part of the disclosure the item belongs to."},
    )
    description = forms.CharField(
        label="What is it?",
        max_length=200,
        help_text="For example “Barclays current account” or “The family home, 4 Elm Road”.",
        error_messages={"required": "Describe the item, for example “Barclays current account”."},
    )
    owner = forms.ChoiceField(
        label="Who owns it?",
        choices=Owner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who owns it: party A, party B or both jointly."},
    )
    share_a_percent = forms.DecimalField(
        label="If joint: party A's share, in per cent",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=50,
        help_text="Party B has the rest. Leave as 50 for equal shares.",
        error_messages={
            "invalid": "Enter party A's share as a percentage, like 50.",
            "min_value": "Party A's share must be from 0 to 100 per cent.",
            "max_value": "Party A's share must be from 0 to 100 per cent.",
            "max_decimal_places": "Use at most 2 decimal places for the share.",
        },
    )
    value = forms.CharField(
        label="Value in pounds",
        max_length=30,
        help_text="To the penny, for example 1250 or 1250.50. Debts go under liabilities, "
        "as a positive amount. Income is per year after tax; outgoings are per month.",
        error_messages={"required": "Enter the value in pounds, like 1250 or 1250.50."},
    )
    valuation_date = DateField(what="the date of the value", help_text="Not in the future.")
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything that explains the figure: a mortgage, who valued it, a CETV date.",
    )

    def __init__(self, *args: Any, letters: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if letters:
            self.fields["owner"].choices = [  # type: ignore[attr-defined]
                ("a", f"Party A: {letters.get('a', 'first party')}"),
                ("b", f"Party B: {letters.get('b', 'second party')}"),
                ("joint", "Both, jointly"),
            ]

    def clean_value(self) -> int:
        try:
            return pounds_to_pence(self.cleaned_data["value"])
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "part": data["part"],
            "description": data["description"],
            "owner": data["owner"],
            "share_a_percent": data.get("share_a_percent"),
            "value_pence": data["value"],
            "valuation_date": data["valuation_date"],
            "note": data.get("note", ""),
        }


class EvidenceForm(AccordForm):
    """A document to upload against an item."""

    attachment = forms.FileField(
        label="Choose a file",
        help_text="A PDF, PNG, JPEG, Word (.docx) or text file, up to 10 MB.",
        error_messages={"required": "Choose a file to upload."},
    )
