"""Two real `accord worker` processes against the test database: every reminder reaches the outbox
exactly once, even when a worker is killed inside its claim transaction.

PostgreSQL only: the guarantee rests on row locks with SKIP LOCKED, which SQLite does not have
(it runs one writer at a time, so there is nothing concurrent to test). Run with
    DATABASE_URL=postgres://root@127.0.0.1:5432/accord_deadlines uv run pytest accord/deadlines
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accord.deadlines.models import OutboundEmail, Reminder

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent workers need PostgreSQL (row locks with SKIP LOCKED); "
            "set DATABASE_URL=postgres://... to run this test."
        )


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start `accord worker` processes on the test database; all are killed at the end."""
    settings = connection.settings_dict
    auth = quote(settings["USER"] or "")
    if settings.get("PASSWORD"):
        auth += ":" + quote(settings["PASSWORD"])
    url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
    url += settings["NAME"]
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, **extra_env: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ACCORD_ENV": "test",
            "ACCORD_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "accord.config.settings",
            "EMAIL_BACKEND": "accord.deadlines.tests.email_backend.MessageIdLogBackend",
            "ACCORD_TEST_EMAIL_LOG": str(tmp_path / "delivered.log"),
            **extra_env,
        }
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "accord",
                "worker",
                "--interval",
                "1",
                "--poll",
                "0.2",
                "--worker-id",
                name,
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}.")


def all_sent_and_delivered() -> bool:
    unsent = Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()
    return not unsent and not OutboundEmail.objects.exclude(status="delivered").exists()


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """Ask workers to finish their current step and exit; kill any that do not within 10 s."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            assert process.wait(timeout=10) == 0
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            raise AssertionError("A worker did not stop within 10 s of SIGTERM.") from None


def due_reminders(make_deadline: Any, count: int) -> set[int]:
    for i in range(count):
        make_deadline(due_at=timezone.now() + dt.timedelta(days=10, hours=i), title=f"Job {i}")
    reminders = Reminder.objects.all()
    reminders.update(send_after=timezone.now() - dt.timedelta(minutes=1))
    return set(reminders.values_list("pk", flat=True))


def assert_exactly_once(reminder_ids: set[int], delivered_log: Path) -> None:
    emails = OutboundEmail.objects.all()
    assert set(emails.values_list("reminder_id", flat=True)) == reminder_ids
    assert not emails.values("reminder_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert emails.count() == len(reminder_ids)
    delivered = Counter(delivered_log.read_text().split())
    assert set(delivered) == set(emails.values_list("message_id", flat=True))
    assert set(delivered.values()) == {1}


def test_two_workers_send_each_reminder_exactly_once(service, make_deadline, workers, tmp_path):
    reminder_ids = due_reminders(make_deadline, 30)
    assert len(reminder_ids) == 60
    first, second = workers("worker-a"), workers("worker-b")
    wait_for(all_sent_and_delivered, "every reminder to be sent and delivered")
    stop(first, second)
    assert_exactly_once(reminder_ids, tmp_path / "delivered.log")


def test_a_worker_killed_inside_the_claim_loses_and_repeats_nothing(
    service, make_deadline, workers, tmp_path
):
    reminder_ids = due_reminders(make_deadline, 5)
    marker = tmp_path / "claimed.txt"
    doomed = workers(
        "doomed",
        ACCORD_WORKER_TEST_PAUSE_IN_CLAIM="60",
        ACCORD_WORKER_TEST_CLAIM_MARKER=str(marker),
    )
    wait_for(lambda: marker.exists() and marker.read_text().strip() != "", "the first claim")
    claimed = int(marker.read_text().split()[1])
    # The claim is written but not committed: nobody else can see it yet.
    assert Reminder.objects.get(pk=claimed).sent_at is None
    assert not OutboundEmail.objects.filter(reminder_id=claimed).exists()
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    survivor = workers("survivor")
    wait_for(all_sent_and_delivered, "the survivor to finish the work")
    stop(survivor)
    assert_exactly_once(reminder_ids, tmp_path / "delivered.log")
    assert OutboundEmail.objects.filter(reminder_id=claimed).count() == 1
