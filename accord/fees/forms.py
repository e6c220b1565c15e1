"""Forms of the fees part: they parse input; the services decide what is allowed.

Amounts are typed text, checked by `accord.fees.money` in the service, so that "12.345",
"-5" and "9999999" get their own clear message.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.cases import kinds
from accord.core.forms import AccordForm, DateField, needed_when
from accord.fees.models import Benefit, FeeItem, MeansEvidence, PaymentMethod, SharingBasis


class _PartyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def _amount(label: str, hint: str = "In pounds and pence, such as 120.00.") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=20,
        error_messages={"required": "Enter the amount in pounds and pence, such as 120.00."},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
    )


class FeeRateForm(AccordForm):
    case_kind = forms.ChoiceField(label="Kind of case", choices=())
    item = forms.ChoiceField(label="What the fee is for", choices=FeeItem.choices)
    amount = _amount("Fee, before VAT")
    vat_applies = forms.BooleanField(label="Add VAT to this fee", required=False)
    effective_from = DateField(label="Applies from", what="the date the fee applies from")
    effective_to = DateField(
        label="Applies until",
        what="the last day of the fee",
        required=False,
        help_text="Leave empty for until further notice.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["case_kind"]
        field.choices = [(code, spec.label) for code, spec in kinds.KINDS.items()]


class FeeRateEndForm(AccordForm):
    effective_to = DateField(label="Last day of this fee", what="the last day of the fee")


class SharingForm(AccordForm):
    basis = forms.ChoiceField(
        label="How are the fees for sessions and documents shared?",
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
    )
    payer = needed_when(
        _PartyField(
            label="Who pays all the fees?",
            queryset=None,
            required=False,
            empty_label="Choose a party",
            help_text="Only when one party pays all.",
        )
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = parties  # type: ignore[attr-defined]
        self.party_list = list(parties)
        for party in self.party_list:
            self.fields[f"percent_{party.pk}"] = needed_when(
                forms.CharField(
                    label=f"Percentage paid by {party.full_name}",
                    required=False,
                    max_length=10,
                    help_text="Only for agreed percentages; they must add up to 100.",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
                )
            )

    def percentages(self) -> dict[int, Any]:
        return {p.pk: self.cleaned_data.get(f"percent_{p.pk}", "") for p in self.party_list}


class InvoiceNoteForm(AccordForm):
    note = forms.CharField(
        label="Note to the party on the invoice",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CreditNoteForm(AccordForm):
    amount = _amount("Amount to credit")
    reason = forms.CharField(label="Why is the invoice being corrected?", max_length=300)


class PaymentForm(AccordForm):
    paid_on = DateField(label="Date received", what="the date the payment was received")
    amount = _amount("Amount received")
    method = forms.ChoiceField(label="How was it paid?", choices=PaymentMethod.choices)
    reference = forms.CharField(
        label="Reference",
        required=False,
        max_length=100,
        help_text="The bank or card reference, or the cheque number.",
    )
    confirm_overpayment = forms.BooleanField(
        label="I confirm this payment is more than what is owed", required=False
    )


class MeansForm(AccordForm):
    participant = _PartyField(
        label="Which party?", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    evidence = forms.ChoiceField(
        label="How was eligibility assessed?",
        choices=MeansEvidence.choices,
        widget=forms.RadioSelect,
    )
    benefit = needed_when(
        forms.ChoiceField(
            label="Qualifying benefit",
            choices=[("", "Not passported"), *Benefit.choices],
            required=False,
            help_text="Only when passported.",
        )
    )
    assessed_on = DateField(label="Date of the assessment", what="the date of the assessment")
    disposable_capital = _amount(
        "Disposable capital", "In pounds, from the assessment; tested for every party."
    )
    gross_monthly_income = needed_when(
        forms.CharField(
            label="Gross monthly income",
            required=False,
            max_length=20,
            help_text="In pounds a month. Only for a means assessment; leave empty if passported.",
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
        )
    )
    disposable_monthly_income = needed_when(
        forms.CharField(
            label="Disposable monthly income",
            required=False,
            max_length=20,
            help_text="In pounds a month. Only for a means assessment; leave empty if passported.",
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}),
        )
    )
    dependent_children = forms.IntegerField(
        label="Dependent children in the household",
        min_value=0,
        max_value=30,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    evidence_note = forms.CharField(
        label="Evidence seen",
        max_length=300,
        help_text="For example: Universal Credit statement dated 1 November 2026.",
    )

    def __init__(self, *args: Any, parties: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = parties  # type: ignore[attr-defined]


class VoucherReferenceForm(AccordForm):
    fmc_reference = forms.CharField(label="FMC case reference for the voucher", max_length=40)


class ReportForm(AccordForm):
    start = DateField(label="From", what="the first day")
    end = DateField(label="To", what="the last day")


class MeansThresholdForm(AccordForm):
    effective_from = DateField(label="Apply from", what="the date the thresholds apply from")
    gross_monthly_income = _amount("Gross monthly income limit")
    children_included = forms.IntegerField(
        label="Children allowed for in that limit",
        min_value=0,
        max_value=20,
        initial=4,
        help_text="The limit rises for each dependent child beyond this number.",
        widget=forms.NumberInput(attrs={"class": "input-short"}),
    )
    per_extra_child = _amount("Added for each further child")
    disposable_monthly_income = _amount("Disposable monthly income limit")
    disposable_capital = _amount("Disposable capital limit")
    source = forms.CharField(
        label="Where the figures come from",
        max_length=300,
        help_text="For example: LAA guidance of 1 April 2027, checked by the service.",
    )
