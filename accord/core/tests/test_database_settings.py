"""Production on PostgreSQL keeps its database connections (with health checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SNIPPET = (
    "import json; from accord.config import settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def _db_settings(tmp_path, **env: str) -> list:
    environ = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path), **env}
    if "DATABASE_CONN_MAX_AGE" not in env:
        environ.pop("DATABASE_CONN_MAX_AGE", None)
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@db:5432/accord"}, [600, True]),
        ({"DATABASE_URL": "postgres://u@db:5432/accord", "DATABASE_CONN_MAX_AGE": "0"}, [0, True]),
        ({"DATABASE_URL": ""}, [0, False]),
    ],
)
def test_connections_persist_on_postgresql_unless_configured_otherwise(tmp_path, env, expected):
    assert _db_settings(tmp_path, **env) == expected
