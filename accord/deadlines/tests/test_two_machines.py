"""Accord on more than one machine: TWO web processes and TWO workers against one PostgreSQL.

- the login throttle lives in the shared cache (the database cache, production's default), so
  wrong passwords alternated between the two web processes still reach the limit;
- each due reminder is written to the outbox and delivered exactly once by the two workers.

PostgreSQL only (SQLite is one machine by definition); the CI's PostgreSQL run executes it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from accord.deadlines.tests.test_worker import (
    all_sent_and_delivered,
    assert_exactly_once,
    due_reminders,
    stop,
    wait_for,
)
from accord.deadlines.tests.test_worker import workers as workers
from accord.testing.factories import TEST_PASSWORD

# The web processes check passwords with the production hashers, so the users need real hashes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_hashers]

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Two machines share PostgreSQL; set DATABASE_URL=postgres://... to run this.")


def _database_url() -> str:
    settings = connection.settings_dict
    auth = settings["USER"] or ""
    if settings.get("PASSWORD"):
        auth += ":" + settings["PASSWORD"]
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{settings['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


#: The web process serving each URL, for `_wait_until_serving`.
_PROCESSES: dict[str, subprocess.Popen[bytes]] = {}


@pytest.fixture
def web_processes(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Start Waitress serving Accord on the test database; yield a starter returning its URL."""
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> str:
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "ACCORD_ENV": "test",
            # What production uses by default (see test_settings); spelt out because the
            # test environment otherwise keeps a per-process cache.
            "ACCORD_CACHE": "database",
            "ACCORD_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "accord.config.settings",
        }
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "waitress",
                f"--listen=127.0.0.1:{port}",
                "--threads=2",
                "accord.config.wsgi:application",
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        _PROCESSES[url] = process
        return url

    yield start
    _PROCESSES.clear()
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


#: How long a web process may take to answer its first request. Starting Django and importing
#: every app takes a few seconds on an idle machine but far longer on a loaded shared one (the
#: earlier 30 s made this test flaky there); a process that dies fails the test at once instead.
START_SECONDS = 180
#: Each request's own timeout: sign-ins check Argon2 hashes with the production parameters.
REQUEST_SECONDS = 60


def _wait_until_serving(url: str, log: Path) -> None:
    """Wait until the process behind `url` answers /healthz (any status), or fail with its log."""
    process = _PROCESSES[url]
    end = time.monotonic() + START_SECONDS
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(
                f"{url} exited with {process.returncode} while starting:\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            requests.get(f"{url}/healthz", timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or still starting up on a loaded machine: ask again.
            time.sleep(0.5)
    raise AssertionError(
        f"{url} did not answer within {START_SECONDS} s:\n"
        + log.read_text(errors="replace")[-3000:]
    )


def _sign_in(base: str, email: str, password: str) -> requests.Response:
    browser = requests.Session()
    # Behind the proxy every process sees the site's one host name; allauth keys the per-account
    # throttle by it (127.0.0.1:<port> would differ between the two processes).
    browser.headers["Host"] = "localhost"
    page = browser.get(f"{base}/accounts/login/", timeout=REQUEST_SECONDS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return browser.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
        headers={"Referer": "http://localhost/accounts/login/"},
        allow_redirects=False,
        timeout=REQUEST_SECONDS,
    )


def test_two_web_processes_and_two_workers_share_the_throttle_and_send_each_reminder_once(
    service, make_deadline, workers, web_processes, tmp_path, settings
):
    # The test database was made with the per-process cache; give it the shared cache's table.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "accord_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    reminder_ids = due_reminders(make_deadline, 5)
    first_web, second_web = web_processes("web-a"), web_processes("web-b")
    first_worker, second_worker = workers("worker-a"), workers("worker-b")
    _wait_until_serving(first_web, tmp_path / "web-a.log")
    _wait_until_serving(second_web, tmp_path / "web-b.log")
    bob = service.parties["bob"]

    # Four wrong passwords, alternated: each process alone has seen two, fewer than the three
    # free failures a device gets, so only a shared count makes the fourth one start a wait.
    for attempt in range(4):
        base = first_web if attempt % 2 == 0 else second_web
        response = _sign_in(base, bob.email, "wrong-password-guess")
        assert response.status_code == 200
        assert "Too many wrong passwords" not in response.text

    refused = _sign_in(second_web, bob.email, TEST_PASSWORD)

    assert refused.status_code == 200
    assert "Too many wrong passwords from this device" in refused.text
    # The workers started with the web processes; on a loaded machine they may still be
    # importing Django, so allow them the same start-up time before the sweep must be done.
    wait_for(
        all_sent_and_delivered, "every reminder to be sent and delivered", timeout=START_SECONDS
    )
    health = requests.get(f"{first_web}/healthz", timeout=REQUEST_SECONDS).json()
    stop(first_worker, second_worker)
    assert_exactly_once(reminder_ids, tmp_path / "delivered.log")
    assert health["worker"]["ok"] is True
