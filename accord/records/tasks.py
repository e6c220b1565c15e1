"""Background job: the retention sweep (also run daily by `accord worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def retention_sweep_all() -> int:
    """Sweep every service whose records have not been swept today."""
    from accord.records.retention import retention_sweep_due

    return retention_sweep_due()
