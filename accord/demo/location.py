"""Where the running demo keeps its data, so `accord demo --codes` in another terminal finds it.

`accord demo` records its data folder (and DATABASE_URL, if one was set) in a small file under a
fixed per-user place: ``$XDG_STATE_HOME/accord/demo-location.json``, by default
``~/.local/state/accord/demo-location.json``. `accord demo --codes` reads it before the settings
load, unless ACCORD_DATA_DIR or DATABASE_URL is already set. This module imports no Django,
because it runs before Django is configured.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from pathlib import Path

_NAMES = ("ACCORD_DATA_DIR", "DATABASE_URL")


def location_file(environ: MutableMapping[str, str] | None = None) -> Path:
    """The per-user file in which the demo records where its data is."""
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local/state")
    return Path(state) / "accord" / "demo-location.json"


def demo_location_record(*, data_dir: str, database_url: str | None) -> Path:
    """Write down where this demo's data is (readable by this user only: it may name a database)."""
    path = location_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"ACCORD_DATA_DIR": data_dir}
    if database_url:
        record["DATABASE_URL"] = database_url
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def demo_location_recall(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """What the last demo recorded, or nothing if it recorded nothing readable."""
    try:
        raw = json.loads(location_file(environ).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {name: str(raw[name]) for name in _NAMES if isinstance(raw.get(name), str)}


def use_recorded_demo_location(environ: MutableMapping[str, str]) -> str | None:
    """Point this process at the recorded demo; return a problem to show instead, or None.

    Nothing is created: with no record and no demo database in the default place, the answer
    says what to run or set.
    """
    if any(environ.get(name) for name in _NAMES):
        return None
    recorded = demo_location_recall(environ)
    folder = recorded.get("ACCORD_DATA_DIR")
    if recorded and "DATABASE_URL" not in recorded and folder and not Path(folder).is_dir():
        # The settings would create the folder again, empty: say what happened instead.
        return (
            f"The last demo kept its data in {folder}, which no longer exists. Start the demo "
            "again with `uv run accord demo` (with the same ACCORD_DATA_DIR if you set one), "
            "then run `uv run accord demo --codes` again."
        )
    if recorded:
        for name, value in recorded.items():
            environ[name] = value
        return None
    if (Path.cwd() / "data" / "accord.sqlite3").exists():
        return None  # the default place, which the settings use anyway
    return (
        "No running demo was found: start it with `uv run accord demo` (it records where its "
        f"data is in {location_file(environ)}), or set ACCORD_DATA_DIR (or DATABASE_URL) to "
        "what the demo uses, then run `uv run accord demo --codes` again."
    )
