"""Does a room of 1,000 messages open as fast as a room of 3? (Issue 17: within 2 times.)

Run by hand (this is a benchmark, not a test; pytest never collects it):

    uv run python bench/rooms.py --messages 1000

It creates a throwaway test database next to the configured one (Django's own test-database
machinery: ``test_<name>`` on PostgreSQL, in memory on SQLite), builds the standard test service,
fills one joint room with 3 messages and another case's joint room with ``--messages`` messages
through the ordinary services, then times the mediator's and a party's room pages in-process
through Django's WSGI handler and prints the medians, the ratio and the queries per request.
The test database is dropped at the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402


def _time(client: Client, url: str, *, warmup: int, requests: int) -> tuple[float, int]:
    """The median time in milliseconds of `requests` GETs after `warmup`, and the queries of one."""
    for _ in range(warmup):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(timings), len(captured.captured_queries)


def _fill(room: Any, people: list[Any], count: int) -> None:
    from accord.rooms import services

    for n in range(count):
        services.message_post(
            actor=people[n % len(people)], room=room, body=f"Message {n + 1} about the plan."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accord.cases.models import Participant
        from accord.rooms.models import Room, RoomKind
        from accord.rooms.services import rooms_ensure
        from accord.testing.factories import build_service, ready_for_sessions
        from accord.testing.reference_data import reseed_reference_data

        reseed_reference_data()
        small = build_service()
        big = build_service(name="Busy Mediation", slug="busy", prefix="BUS")
        rooms = {}
        for label, svc in (("small", small), ("big", big)):
            ready_for_sessions(svc.case)
            rooms_ensure(case=svc.case)
            rooms[label] = Room.objects.get(case=svc.case, kind=RoomKind.JOINT)
        started = time.perf_counter()
        parties = [small.parties["alice"], small.parties["bob"]]
        _fill(rooms["small"], parties, 3)
        _fill(rooms["big"], [big.parties["alice"], big.parties["bob"]], args.messages)
        print(f"Loaded {args.messages + 3} messages in {time.perf_counter() - started:.1f} s.")
        print(f"Database: {connection.vendor}. Median of {args.requests} requests.\n")
        print(f"{'Page':<26}{'3 messages':>14}{f'{args.messages} messages':>18}{'ratio':>8}")
        worst = 0.0
        for who, area in (("mediator", "staff"), ("bob", "portal")):
            results = []
            for label, svc in (("small", small), ("big", big)):
                user = svc.mediator if who == "mediator" else svc.parties["bob"]
                assert Participant.objects.filter(case=svc.case).exists()
                client = Client()
                client.force_login(user)
                url = reverse(f"rooms:{area}_room", args=[svc.case.pk, rooms[label].pk])
                results.append(_time(client, url, warmup=args.warmup, requests=args.requests))
            (small_ms, small_q), (big_ms, big_q) = results
            ratio = big_ms / small_ms
            worst = max(worst, ratio)
            name = f"room page ({who})"
            print(
                f"{name:<26}{small_ms:>8.1f} ms {small_q:>2}q{big_ms:>12.1f} ms {big_q:>2}q"
                f"{ratio:>8.2f}"
            )
        verdict = "within" if worst <= 2 else "NOT within"
        print(f"\nWorst ratio {worst:.2f}: {verdict} 2 times a room of 3.")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
