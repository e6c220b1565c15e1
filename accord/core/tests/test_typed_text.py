"""The text rule on forms: one-line fields, multi-line fields, search boxes and passwords."""

from __future__ import annotations

import pytest
from django import forms

from accord.core.forms import AccordForm
from accord.core.text import text_problem, text_tidy_search


class _Form(AccordForm):
    name = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    q = forms.CharField(required=False, widget=forms.SearchInput)
    password = forms.CharField(required=False, strip=False, widget=forms.PasswordInput)


@pytest.mark.parametrize(
    "value", ["a\x07b", "a\x9bb", "a\x7fb", "Eve\u202eAdams", "\u2066x\u2069", "Eve\u200f", "a\nb"]
)
def test_a_one_line_field_refuses_control_and_direction_characters(value):
    form = _Form({"name": value})

    assert not form.is_valid()
    assert "name" not in form.cleaned_data
    assert str(form.errors["name"][0]).startswith(("Remove the invisible", "Keep this on one line"))


def test_a_nul_is_refused_with_a_message():
    form = _Form({"name": "a\x00b", "notes": "a\x00b"})

    assert not form.is_valid()
    assert set(form.errors) == {"name", "notes"}


def test_a_multi_line_field_keeps_line_breaks_tabs_and_direction_marks():
    form = _Form({"notes": "First line\r\n\tSecond \u200fline"})

    assert form.is_valid(), form.errors
    assert "\t" in form.cleaned_data["notes"]


def test_a_multi_line_field_refuses_an_override():
    form = _Form({"notes": "ok\n\u202eevil"})

    assert not form.is_valid()
    assert "U+202E" in form.errors["notes"][0]


def test_a_search_box_drops_the_characters_instead_of_refusing():
    form = _Form({"q": " Smith\x07\u202e "})

    assert form.is_valid()
    assert form.cleaned_data["q"] == "Smith"


def test_a_password_is_left_alone():
    form = _Form({"password": "pass\x07word\u202e"})

    assert form.is_valid()
    assert form.cleaned_data["password"] == "pass\x07word\u202e"


def test_the_rule_names_the_character():
    problem = text_problem("x\x1b[31m")

    assert problem is not None
    assert problem.code == "text_control"
    assert "U+001B" in problem.message
    assert text_problem("ok\nfine", multiline=True) is None
    assert text_tidy_search("a\tb\x00c") == "a bc"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "Dee\u202eeD", "changes the direction of text (U+202E)"),
        ("full_name", "Dee\x1b[31m", "control character (U+001B)"),
        ("full_name", "Dee\x00", "Null characters are not allowed."),
        ("address", "1 Lane\n\x07Leeds", "control character (U+0007)"),
    ],
)
def test_the_participant_page_refuses_hostile_text_and_saves_nothing(
    client, service, field, value, message
):
    from django.urls import reverse

    from accord.cases.models import Participant

    before = Participant.objects.count()
    client.force_login(service.mediator)
    data = {"role": "party", "full_name": "Dee Date", field: value}

    response = client.post(reverse("cases:participant_add", args=[service.case.pk]), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'href="#id_{field}"' in page
    assert Participant.objects.count() == before
