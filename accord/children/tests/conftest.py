"""Shared set-up for the children tests: a family case with two parents and a trained consultant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accord.cases.models import Participant
from accord.children import services
from accord.organisations.models import MediatorProfile


def born_years_ago(years: int, days: int = 10) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def family(service: Any) -> Any:
    return service.cases["family"]


@pytest.fixture
def parents(family: Any) -> dict[str, Participant]:
    return {
        "alice": Participant.objects.get(case=family, full_name="Alice Smith"),
        "bob": Participant.objects.get(case=family, full_name="Bob Jones"),
    }


@pytest.fixture
def consultant(service: Any) -> Any:
    profile, _ = MediatorProfile.objects.get_or_create(
        organisation=service.organisation, user=service.mediator2
    )
    services.consultant_set(
        actor=service.admin, profile=profile, trained=True, dbs_checked_on=dt.date(2025, 3, 1)
    )
    return service.mediator2
