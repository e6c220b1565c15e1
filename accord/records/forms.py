"""Forms for the records pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import AccordForm, DateField
from accord.records.models import HoldReason, RecordKind


class PersonRequestForm(AccordForm):
    """Who a data-protection request is from: a participant of a case, found by name."""

    case_reference = forms.CharField(
        label="Case reference",
        max_length=24,
        error_messages={"required": "Enter the reference of a case the person took part in."},
    )
    full_name = forms.CharField(
        label="The person's full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name as the case records it."},
    )
    received_on = DateField(label="Date received", what="the date the request was received")


def _years(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{label} (years after closure)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": f"Enter how many years to keep {label.lower()}.",
            "invalid": "Enter a whole number of years.",
            "min_value": "Enter 0 years or more.",
            "max_value": "Enter 100 years or fewer.",
        },
    )


class RetentionScheduleForm(AccordForm):
    legal_minimum_years = forms.IntegerField(
        label="Legal minimum (years)",
        help_text="No period below may be shorter than this.",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the legal minimum in years.",
            "invalid": "Enter a whole number of years.",
        },
    )
    case_file_years = _years(RecordKind.CASE_FILE.label)
    financial_years = _years(RecordKind.FINANCIAL.label)
    safeguarding_years = _years(RecordKind.SAFEGUARDING.label)
    complaints_years = _years(RecordKind.COMPLAINTS.label)
    invoices_years = _years(RecordKind.INVOICES.label)
    audit_years = _years(RecordKind.AUDIT.label)


class HoldForm(AccordForm):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=24,
        error_messages={"required": "Enter the reference of the case to hold."},
    )
    reason = forms.ChoiceField(
        label="Why hold its records?",
        choices=HoldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the records are held."},
    )
    note = forms.CharField(
        label="Note", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(AccordForm):
    note = forms.CharField(
        label="Note of the decision",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(AccordForm):
    start = DateField(label="From", what="the first day of the period")
    end = DateField(label="To", what="the last day of the period")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period must end on or after its first day.")
        return data
