"""`accord worker`: runs background tasks and the periodic sweep, in one process.

One loop, one thread, one database connection:
- every `--interval` seconds (default 30, or ACCORD_WORKER_INTERVAL) the periodic sweep marks
  missed deadlines, runs the other apps' periodic jobs, writes due reminders to the outbox and
  delivers the outbox;
- in between, it runs queued django-tasks jobs (django_tasks_db backend), polling every
  `--poll` seconds.
Run as many workers as you like: every step claims its rows with SELECT ... FOR UPDATE SKIP
LOCKED, so two workers never do the same piece of work, and a worker killed at any moment leaves
nothing half-done (its transaction rolls back and another worker picks the work up).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

logger = logging.getLogger("accord.worker")

#: Periodic jobs of other apps, run after the missed-deadline sweep and before reminders go out
#: (a lapsed self-referral escalates through a reminder). Override with ACCORD_WORKER_EXTRA_JOBS.
DEFAULT_EXTRA_JOBS = (
    "accord.safeguarding.services.self_referrals_lapse_due",
    "accord.willingness.services.invitations_lapse_due",
    "accord.meetings.services.miam_reminders_send_due",
    "accord.mediation.services.session_reminders_send_due",
    "accord.premediation.services.premediation_reminders_send_due",
    # Once a day per service (it checks its own last run), so cheap on every other pass.
    "accord.records.retention.retention_sweep_due",
    # Used one-time form tokens and stored Idempotency-Key answers are kept for a day.
    "accord.core.once.once_records_forget_due",
)

#: Test hook, honoured only when ACCORD_ENV=test: seconds to pause inside the reminder claim
#: transaction, after the outbox row is written and before commit, so a test can kill the worker
#: at the worst moment. The marker file (if set) gets one line per claimed reminder first.
PAUSE_ENV = "ACCORD_WORKER_TEST_PAUSE_IN_CLAIM"
MARKER_ENV = "ACCORD_WORKER_TEST_CLAIM_MARKER"


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError("must be more than 0")
    return number


class Command(BaseCommand):
    help = "Run background tasks and the periodic deadline sweep (missed deadlines, reminders)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=_positive,
            default=None,
            help="Seconds between periodic sweeps (default: ACCORD_WORKER_INTERVAL or 30).",
        )
        parser.add_argument(
            "--poll",
            type=_positive,
            default=1.0,
            help="Seconds between looks at the task queue when it is empty (default 1).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run one sweep and the queued tasks, then exit (for cron or a test).",
        )
        parser.add_argument("--no-tasks", action="store_true", help="Run only the sweep.")
        parser.add_argument(
            "--queue-name", default="default", help="Task queues to run, comma-separated."
        )
        parser.add_argument("--worker-id", default="", help="A name for this worker in logs.")

    def handle(self, *args: Any, **options: Any) -> None:
        from accord.deadlines import conf

        self.running = True
        self.interrupts = 0
        self.worker_id = options["worker_id"] or f"accord-{os.getpid()}-{get_random_string(6)}"
        interval = options["interval"] or float(conf.worker_interval_seconds())
        poll = options["poll"]
        self.task_worker = None if options["no_tasks"] else self._task_worker(options)
        self.jobs = self._extra_jobs()
        self.on_claimed = self._test_hook()
        if options["verbosity"] < 2:
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
        if not options["once"]:
            signal.signal(signal.SIGINT, self._stop)
            signal.signal(signal.SIGTERM, self._stop)
        logger.info("Worker %s started: sweep every %ss.", self.worker_id, interval)
        next_sweep = 0.0
        while self.running:
            self.beat()
            now = time.monotonic()
            if now >= next_sweep:
                self.sweep()
                next_sweep = time.monotonic() + interval
            ran = self.run_tasks()
            if options["once"]:
                break
            if not ran:
                self._sleep(min(poll, max(next_sweep - time.monotonic(), 0.0)))
        logger.info("Worker %s stopped.", self.worker_id)

    def beat(self) -> None:
        """Record the heartbeat that /healthz reads, at most every few seconds."""
        from accord.core.health import heartbeat_record

        now = time.monotonic()
        if now < getattr(self, "next_beat", 0.0):
            return
        self.next_beat = now + 5.0
        try:
            heartbeat_record(worker_id=self.worker_id)
        except Exception:
            logger.exception("Could not record the heartbeat; trying again shortly.")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.interrupts += 1
        if self.interrupts > 1:
            logger.warning("Second %s: stopping at once.", signal.strsignal(signum))
            sys.exit(1)
        logger.info("%s: finishing the current step, then stopping.", signal.strsignal(signum))
        self.running = False

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(0.2, max(end - time.monotonic(), 0.0)))

    def _task_worker(self, options: dict[str, Any]) -> Any:
        from django_tasks import task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            logger.info(
                "The task backend is not the database one; this worker runs the sweep only."
            )
            return None
        return Worker(
            queue_names=[name for name in options["queue_name"].split(",") if name],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=50,  # then sweep again if it is due, so a long queue cannot starve it
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )

    def _extra_jobs(self) -> list[tuple[str, Callable[[], Any]]]:
        paths = getattr(settings, "ACCORD_WORKER_EXTRA_JOBS", DEFAULT_EXTRA_JOBS)
        jobs = []
        for path in paths:
            try:
                jobs.append((path, import_string(path)))
            except ImportError as exc:
                logger.warning("Periodic job %s is not available (%s); skipping it.", path, exc)
        return jobs

    def _test_hook(self) -> Callable[[Any], None] | None:
        raw = os.environ.get(PAUSE_ENV)
        if not raw:
            return None
        if getattr(settings, "ACCORD_ENV", "") != "test":
            raise CommandError(f"{PAUSE_ENV} is a test hook and works only with ACCORD_ENV=test.")
        try:
            pause = float(raw)
        except ValueError:
            raise CommandError(f"{PAUSE_ENV} must be a number of seconds.") from None
        marker = os.environ.get(MARKER_ENV)

        def hook(reminder: Any) -> None:
            if marker:
                with Path(marker).open("a", encoding="utf-8") as handle:
                    handle.write(f"{self.worker_id} {reminder.pk}\n")
            time.sleep(pause)

        return hook

    def _step(self, name: str, job: Callable[[], Any]) -> None:
        try:
            done = job()
        except Exception:
            # One failing step must not stop the others or the worker: log and retry next sweep.
            logger.exception("Periodic step %s failed; it will be retried at the next sweep.", name)
            return
        if done:
            logger.info("%s: %s", name, done)

    def sweep(self) -> None:
        """One pass of the periodic work, each step in its own transactions."""
        from accord.deadlines.delivery import outbox_deliver_due, reminders_dispatch_due
        from accord.deadlines.services import deadlines_mark_missed

        close_old_connections()
        self._step("missed deadlines", deadlines_mark_missed)
        for path, job in self.jobs:
            self._step(path, job)
        self._step("reminders written", lambda: reminders_dispatch_due(on_claimed=self.on_claimed))
        self._step("emails delivered", outbox_deliver_due)
        close_old_connections()

    def run_tasks(self) -> bool:
        """Run up to a batch of queued tasks; True if there may be more waiting."""
        if self.task_worker is None:
            return False
        # The batch runner counts towards max_tasks across runs; start each batch afresh.
        self.task_worker._run_tasks = 0
        try:
            self.task_worker.run()
        except Exception:
            logger.exception("The task runner failed; trying again shortly.")
            return False
        return bool(self.task_worker._run_tasks)
