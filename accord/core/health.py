"""Liveness facts for /healthz: the database answers, and a worker beat recently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accord.core.models import WorkerHeartbeat

#: Heartbeats of workers gone this long are removed when another worker beats.
FORGET_AFTER = dt.timedelta(days=7)


@transaction.atomic
def heartbeat_record(*, worker_id: str) -> None:
    """Note that this worker is alive now (one row per worker, updated on every loop)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id[:100], defaults={"seen_at": now})
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


@dataclass(frozen=True)
class Health:
    """What /healthz reports; healthy only if every part is."""

    parts: dict[str, dict[str, Any]]

    @property
    def healthy(self) -> bool:
        return all(part["ok"] for part in self.parts.values())


def health_check() -> Health:
    """Ask the database one cheap question and read the newest worker heartbeat."""
    parts: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        parts["database"] = {"ok": False, "error": exc.__class__.__name__}
        parts["worker"] = {"ok": False, "error": "the database is unavailable"}
        return Health(parts)
    parts["database"] = {"ok": True, "vendor": connection.vendor}
    stale_after = settings.ACCORD_HEALTH_WORKER_STALE_SECONDS
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is None:
        parts["worker"] = {"ok": False, "last_heartbeat": None, "stale_after_seconds": stale_after}
    else:
        age = (timezone.now() - last).total_seconds()
        parts["worker"] = {
            "ok": age <= stale_after,
            "last_heartbeat": last.isoformat(),
            "age_seconds": round(age, 1),
            "stale_after_seconds": stale_after,
        }
    return Health(parts)
