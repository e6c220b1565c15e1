"""How fast does the worker mark a backlog of missed deadlines?

Run by hand (a benchmark, not a test):

    uv run python bench/missed_backlog.py --deadlines 10000
    DATABASE_URL=postgres://root@127.0.0.1:5432/accord_x uv run python bench/missed_backlog.py

Like rooms.py it never touches your data: it creates Django's throwaway test database, builds a
standard test service, inserts `--deadlines` open deadlines already past due (spread over the
service's cases, a quarter of them with a case supervisor), runs `deadlines_mark_missed` once as
the worker would, and prints the rate. It then checks that every deadline was marked once, with
one audit event each, and that the audit chain is intact. The test database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deadlines", type=int, default=10_000, help="Backlog size (10,000).")
    args = parser.parse_args()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.db.models import Count
        from django.utils import timezone

        from accord.audit.models import AuditEvent
        from accord.audit.verification import chain_verify
        from accord.deadlines.models import Deadline, DeadlineStatus
        from accord.deadlines.services import deadlines_mark_missed
        from accord.testing.factories import build_service

        service = build_service()
        cases = list(service.organisation.cases.all())
        past = timezone.now() - dt.timedelta(days=1)
        Deadline.objects.bulk_create(
            (
                Deadline(
                    organisation=service.organisation,
                    case=cases[n % len(cases)],
                    rule_code="bench",
                    title=f"Bench {n}",
                    due_at=past - dt.timedelta(minutes=n),
                    owner=service.mediator,
                )
                for n in range(args.deadlines)
            ),
            batch_size=1000,
        )
        started = time.perf_counter()
        cpu_started = time.process_time()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx("deadlines_mark_missed()", globals(), locals(), sort="cumtime")
        marked = deadlines_mark_missed()
        took = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        open_left = Deadline.objects.filter(status=DeadlineStatus.OPEN).count()
        events = AuditEvent.objects.filter(action="deadline.missed")
        twice = events.values("target_id").annotate(n=Count("id")).filter(n__gt=1).count()
        chain = chain_verify(organisation_id=service.organisation.pk)
        print(f"Database:  {connection.vendor}")
        print(
            f"Marked:    {marked:,} of {args.deadlines:,} in {took:.2f} s ({marked / took:,.0f}/s)"
        )
        print(
            f"CPU time:  {cpu:.2f} s in this process ({marked / cpu:,.0f}/s; a loaded machine "
            f"inflates the wall clock, not this; load average {os.getloadavg()[0]:.1f})"
        )
        print(f"Checks:    {open_left} left open, {events.count():,} audit events, {twice} twice,")
        print(f"           chain {'intact' if chain.problem is None else 'BROKEN'}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
