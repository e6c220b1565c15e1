"""Schema-driven fuzzing of the whole API with Schemathesis (issue 15, item 10).

Every operation of the live schema (rendered from the code, the same schema that is committed)
is called with generated input, valid and invalid, signed in as a mediator of the case and as a
party to it. Two properties must hold for every call: no 5xx answer, and every answer matches
the schema's documented shape for its status. Path parameters naming a case, a participant or a
room are pointed at real records half of the time, so the generated bodies reach the services
and their policies, not only the 404 for an unknown id.

The operations and calls made are counted and printed at the end of the run (`-s` shows them),
so a run says how much it covered.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accord.accounts.services import api_token_create
from accord.api.openapi import render_schema
from accord.cases.models import Participant
from accord.rooms.models import Room
from accord.rooms.services import rooms_ensure
from accord.testing.factories import build_service, ready_for_sessions

SCHEMA = schemathesis.openapi.from_dict(json.loads(render_schema()))
SCHEMA.app = get_wsgi_application()

#: How many generated calls per operation and signed-in person in the fuzzing phase (the coverage
#: phase adds its own valid and invalid calls to each), kept small so CI stays quick. It was 12
#: at 164 operations; the API has grown to about 250, so 8 keeps the run's calls (and its share
#: of the 90-minute CI budget) where they were while every operation is still called.
EXAMPLES = 8

CALLS: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_coverage() -> Any:
    # Calls go through the real WSGI handler, which closes the database connection at the
    # start and end of each request; Django's test client keeps it open (the test's
    # transaction lives on it), and so must this.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
    if CALLS:
        print(
            f"\nSchemathesis: {len(CALLS)} operations, {sum(CALLS.values())} calls; "
            f"statuses {dict(sorted(STATUSES.items()))}"
        )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """A case ready for sessions, with API tokens for its mediator and one party."""
    service = build_service()
    case = service.case
    ready_for_sessions(case)
    rooms_ensure(case=case)
    organisation = case.organisation
    organisation.party_api_tokens = True
    organisation.save(update_fields=["party_api_tokens"])
    _, staff_secret = api_token_create(user=service.mediator, name="fuzz")
    alice = service.parties["alice"]
    _, party_secret = api_token_create(user=alice, name="fuzz")
    return {
        "ids": {
            "case_id": case.pk,
            "participant_id": Participant.objects.filter(case=case).values_list("pk", flat=True)[0],
            "room_id": Room.objects.filter(case=case).values_list("pk", flat=True)[0],
        },
        "tokens": {"staff": staff_secret, "party": party_secret},
    }


def _aim_at_real_records(case: Any, ids: dict[str, int]) -> None:
    """Point known id parameters at real records on alternate calls (deterministically)."""
    if not case.path_parameters:
        return
    flip = sum(CALLS.values()) % 2 == 0
    for name, value in ids.items():
        if name in case.path_parameters and flip:
            case.path_parameters[name] = value


def _call(case: Any, world: dict[str, Any], who: str) -> None:
    _aim_at_real_records(case, world["ids"])
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {world['tokens'][who]}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    CALLS[case.operation.label] += 1
    STATUSES[response.status_code] += 1


_FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SCHEMA.parametrize()
@_FUZZ_SETTINGS
def test_no_operation_fails_or_breaks_the_schema_for_a_mediator(case: Any, world: Any) -> None:
    _call(case, world, "staff")


@SCHEMA.parametrize()
@_FUZZ_SETTINGS
def test_no_operation_fails_or_breaks_the_schema_for_a_party(case: Any, world: Any) -> None:
    _call(case, world, "party")
