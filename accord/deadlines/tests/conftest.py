"""Fixtures for the deadline tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from accord.deadlines import services
from accord.deadlines.models import Deadline
from accord.deadlines.selectors import forget_calendars


@pytest.fixture(autouse=True)
def _fresh_calendars() -> Iterator[None]:
    """Each test starts with no cached working calendar."""
    forget_calendars()
    yield
    forget_calendars()


@pytest.fixture
def make_deadline(service: Any) -> Any:
    """Set a hand-dated deadline on the family case (owner: its lead mediator)."""

    def make(
        *,
        due_at: dt.datetime,
        title: str = "Send the MIAM letters",
        case: Any = None,
        owner: Any = None,
        actor: Any = None,
        **extra: Any,
    ) -> Deadline:
        return services.deadline_create_due(
            actor=actor or service.coordinator,
            case=case or service.case,
            rule_code=extra.pop("rule_code", "custom"),
            due_at=due_at,
            owner=owner or service.mediator,
            title=title,
            **extra,
        )

    return make
