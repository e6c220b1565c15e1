"""Background jobs: the retention sweep (also run daily by `accord worker`), and stale
statistics worked out again for their next view."""

from __future__ import annotations

from django_tasks import task


@task()
def retention_sweep_all() -> int:
    """Sweep every service whose records have not been swept today."""
    from accord.records.retention import retention_sweep_due

    return retention_sweep_due()


@task()
def statistics_refresh(organisation_id: int, start: str, end: str) -> bool:
    """Work out a service's statistics for a period again (enqueued when stale ones are shown)."""
    from accord.records.statistics import statistics_refresh_now

    return statistics_refresh_now(organisation_id=organisation_id, start=start, end=end)
