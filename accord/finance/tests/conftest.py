"""Fixtures for the finance tests: a finances case with two parties who can sign in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.testing.factories import party_with_login


@pytest.fixture(autouse=True)
def finance_storage(settings, tmp_path):
    """Keep uploaded evidence out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


@dataclass
class FinanceCase:
    case: Case
    a: Participant
    b: Participant
    a_user: Any
    b_user: Any


def open_finance_case(service: Any, kind: str = "family_finance") -> FinanceCase:
    case = case_services.case_open(
        actor=service.coordinator,
        organisation=service.organisation,
        kind=kind,
        title="Green / Black",
        lead_mediator=service.mediator,
    )
    a, a_user = party_with_login(
        case, actor=service.coordinator, name="Anna Green", email="anna@money.example"
    )
    b, b_user = party_with_login(
        case, actor=service.coordinator, name="Ben Black", email="ben@money.example"
    )
    return FinanceCase(case, a, b, a_user, b_user)


@pytest.fixture
def fin(service):
    return open_finance_case(service)
