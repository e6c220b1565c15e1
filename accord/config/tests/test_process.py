"""The web entry points freeze what they loaded at start-up, out of the collector's walks."""

from __future__ import annotations

import gc

from accord.config.process import settle_after_start
from accord.config.tests.test_settings import run_python


def test_settling_freezes_the_heap_loaded_so_far():
    gc.unfreeze()
    try:
        settle_after_start()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_wsgi_entry_point_has_loaded_the_views_and_frozen_the_heap(tmp_path):
    code = (
        "import gc, sys; import accord.config.wsgi; "
        "assert 'accord.cases.views' in sys.modules; "
        "print(gc.get_freeze_count())"
    )
    result = run_python("-c", code, env={}, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 100_000
