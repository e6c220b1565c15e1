"""Dates outside a sane range are refused, per field, by forms and by the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.cases.models import Participant
from accord.core.date_bounds import ANY_DATE, DATE_OF_BIRTH, PAST_DATE, DateBounds
from accord.core.forms import AccordForm

TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("bounds", "value", "refused"),
    [
        (DATE_OF_BIRTH, dt.date(1899, 12, 31), "The date of birth must be after 1900."),
        (DATE_OF_BIRTH, dt.date(2026, 12, 7), "The date of birth must be in the past."),
        (PAST_DATE, dt.date(1899, 12, 31), "on or after 1 January 1900"),
        (DATE_OF_BIRTH, dt.date(1900, 1, 1), None),
        (DATE_OF_BIRTH, TODAY, None),
        (ANY_DATE, dt.date(2036, 12, 6), None),
        (ANY_DATE, dt.date(2036, 12, 7), "no more than 10 years ahead"),
        (PAST_DATE, dt.date(2026, 12, 7), "cannot be in the future"),
        (DateBounds(years_ahead=1), dt.date(2027, 12, 7), "no more than 1 years ahead"),
    ],
)
def test_each_kind_of_date_has_its_bounds(bounds, value, refused):
    problem = bounds.problem(value, today=TODAY)

    if refused is None:
        assert problem is None
    else:
        assert problem is not None and refused in problem


def test_a_29_february_today_still_has_a_latest_date():
    assert ANY_DATE.problem(dt.date(2038, 2, 28), today=dt.date(2028, 2, 29)) is None


class _Form(AccordForm):
    date_of_birth = forms.DateField(required=False)
    meeting_on = forms.DateField(required=False)
    starts_at = forms.DateTimeField(required=False)
    chosen = forms.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].date_bounds = DateBounds(years_ahead=1)  # type: ignore[attr-defined]


def test_a_form_refuses_each_field_by_its_own_bounds():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = _Form(
        {
            "date_of_birth": tomorrow.isoformat(),
            "meeting_on": "3026-01-01",
            "starts_at": "1850-01-01 10:00",
            "chosen": (tomorrow + dt.timedelta(days=400)).isoformat(),
        }
    )

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["The date of birth must be in the past."]
    assert "10 years ahead" in form.errors["meeting_on"][0]
    assert "1 January 1900" in form.errors["starts_at"][0]
    assert "1 years ahead" in form.errors["chosen"][0]


def test_a_form_accepts_sane_dates():
    form = _Form({"date_of_birth": "1980-05-01", "meeting_on": "2027-01-01", "chosen": ""})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("born", ["1850-01-01", "2999-01-01"])
def test_the_api_refuses_an_absurd_date_of_birth_and_saves_nothing(service, born):
    before = Participant.objects.count()

    response = token_client(service.coordinator).post(
        f"/cases/{service.case.pk}/participants",
        {"role": "party", "full_name": "Dana Grey", "date_of_birth": born},
    )

    assert response.status_code == 422
    assert response.json()["errors"]["date_of_birth"][0].startswith("The date of birth must be")
    assert Participant.objects.count() == before


def test_the_api_refuses_a_session_a_century_ahead(service):
    response = token_client(service.mediator).post(
        f"/cases/{service.case.pk}/sessions",
        {
            "format": "joint",
            "starts_at": "2126-01-01T10:00:00+00:00",
            "mode": "in_person",
            "place": "Room 1",
            "attendee_ids": [],
            "mediator_ids": [],
        },
    )

    assert response.status_code == 422
    assert "10 years ahead" in response.json()["errors"]["starts_at"][0]
