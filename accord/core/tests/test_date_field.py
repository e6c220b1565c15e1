"""The shared DateField: one text box, every usual shape, a clear error otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from accord.core.forms import BIRTH_DATE_HINT, DATE_HINT, AccordForm, DateField, needed_when


class _Form(AccordForm):
    when = DateField(label="Date of birth", what="the date of birth", autocomplete="bday")
    later = DateField(label="Later", required=False)
    maybe = needed_when(forms.CharField(label="Maybe", required=False))
    spare = forms.CharField(label="Spare", required=False)


@pytest.mark.parametrize("typed", ["5/12/2026", "5 Dec 2026", "05-12-2026", "2026-12-05"])
def test_date_field_accepts_what_people_type(typed: str) -> None:
    form = _Form(data={"when": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2026, 12, 5)
    assert form.cleaned_data["later"] is None


def test_date_field_says_clearly_what_is_wrong() -> None:
    form = _Form(data={"when": "31/02/2027"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter the date of birth as a real date, like 5 12 2026."]
    assert _Form(data={}).errors["when"] == ["Enter the date of birth."]


def test_date_field_is_a_text_box_with_the_hint_it_asks_for() -> None:
    html = str(_Form(initial={"when": dt.date(2026, 12, 5)})["when"])
    assert 'type="text"' in html
    assert 'type="date"' not in html
    assert 'value="5 12 2026"' in html
    assert 'autocomplete="bday"' in html
    assert _Form().fields["later"].help_text == DATE_HINT
    # A date of birth is hinted with a date in the past.
    assert _Form().fields["when"].help_text == BIRTH_DATE_HINT


def test_optional_is_said_only_of_fields_that_may_always_be_left_empty() -> None:
    from django.template.loader import render_to_string

    form = _Form()

    def label(name: str) -> str:
        return render_to_string("core/includes/field.html", {"field": form[name]})

    assert "(optional)" not in label("when")
    assert "(optional)" not in label("maybe")
    assert "(optional)" in label("spare")
    assert "(optional)" in label("later")
