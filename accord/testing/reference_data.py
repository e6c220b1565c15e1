"""Reference rows that migrations seed, restored after a transactional test empties the tables.

Transactional tests (live server, real worker processes) end with a flush that deletes every
row, including those seeded by data migrations. Reusing the migrations' own seed functions keeps
one source for that data.
"""

from __future__ import annotations

import importlib

from django.apps import apps

#: (module path, function name) of every data-migration seed to replay.
SEEDS = (
    ("accord.deadlines.migrations.0002_seed_national_rules", "seed"),
    ("accord.meetings.migrations.0005_seed_voucher_limit", "seed"),
    ("accord.willingness.migrations.0002_seed_response_rule", "seed"),
    ("accord.finance.migrations.0001_initial", "seed"),
    ("accord.send.migrations.0001_initial", "seed"),
    ("accord.send.migrations.0002_outcome_in_hours", "to_hours"),
    ("accord.fees.migrations.0001_initial", "seed"),
    ("accord.fees.migrations.0002_means_thresholds", "seed"),
    ("accord.complaints.migrations.0001_initial", "seed"),
)


def reseed_reference_data() -> None:
    """Replay the data migrations' seed functions; each is idempotent (update_or_create)."""
    for module_path, function_name in SEEDS:
        seed = getattr(importlib.import_module(module_path), function_name)
        seed(apps, None)
