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
    gross = forms.CharField(
        label="Income only: the same income before tax, per year, in pounds",
        required=False,
        max_length=30,
        help_text="Optional. A child maintenance estimate uses income before tax.",
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

    def clean_gross(self) -> int | None:
        text = (self.cleaned_data.get("gross") or "").strip()
        if not text:
            return None
        try:
            return pounds_to_pence(text)
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
            "gross_pence": data.get("gross"),
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


class ScenarioForm(AccordForm):
    """A scenario: a name, who keeps what share of each shared asset and debt, sales, a lump
    sum, pension sharing and maintenance. Item fields are added for the shared items."""

    title = forms.CharField(
        label="Name of the scenario",
        max_length=120,
        help_text="For example “Sell the house, split 60/40”.",
        error_messages={"required": "Give the scenario a short name, like “Sell the house”."},
    )
    lump_sum = forms.CharField(
        label="Lump sum from party A to party B, in pounds",
        required=False,
        max_length=30,
        help_text="Negative if party B pays party A. Leave empty for none.",
    )
    pension_share_a_percent = forms.DecimalField(
        label="Party A's share of all pensions after pension sharing, in per cent",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="Leave empty to keep pensions as owned.",
        error_messages={"invalid": "Enter a percentage from 0 to 100, like 50."},
    )
    maintenance = forms.CharField(
        label="Maintenance from party A to party B each month, in pounds",
        required=False,
        max_length=30,
        help_text="Negative if party B pays party A. Leave empty for none.",
    )

    def __init__(self, *args: Any, items: list[tuple[str, str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.item_keys: list[str] = []
        for key, label, initial in items:
            self.fields[f"item_{key}"] = forms.DecimalField(
                label=f"{label}: party A's share, in per cent",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=initial,
                error_messages={"invalid": "Enter a percentage from 0 to 100, like 50."},
            )
            self.fields[f"sold_{key}"] = forms.BooleanField(
                label=f"{label} is sold and the proceeds split by these shares", required=False
            )
            self.item_keys.append(key)

    def _money(self, name: str) -> int:
        text = str(self.cleaned_data.get(name) or "").strip()
        if not text:
            return 0
        try:
            return pounds_to_pence(text, allow_negative=True)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_lump_sum(self) -> int:
        return self._money("lump_sum")

    def clean_maintenance(self) -> int:
        return self._money("maintenance")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "allocations": {
                key: data[f"item_{key}"]
                for key in self.item_keys
                if data.get(f"item_{key}") is not None
            },
            "sold": [key for key in self.item_keys if data.get(f"sold_{key}")],
            "lump_sum_pence": data.get("lump_sum") or 0,
            "pension_share_a_percent": data.get("pension_share_a_percent"),
            "maintenance_pence": data.get("maintenance") or 0,
        }


class PackSentForm(AccordForm):
    """When the consent-order pack went to a party's solicitor."""

    party = forms.ChoiceField(
        label="Whose solicitor?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a party of this case."},
    )
    solicitor = forms.CharField(
        label="Solicitor or firm",
        max_length=200,
        error_messages={"required": "Enter the solicitor or firm the pack went to."},
    )
    sent_on = DateField(what="the date it was sent", help_text="Not in the future.")

    def __init__(self, *args: Any, parties: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = parties  # type: ignore[attr-defined]
