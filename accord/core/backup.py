"""`accord backup` and `accord restore`: a consistent snapshot of the database and stored files.

A backup is a directory (or a .tar.gz of one) holding:
- ``database.sqlite3`` (SQLite's online backup API, safe while Accord runs) or ``database.dump``
  (``pg_dump --format=custom`` inside one exported snapshot, so the row counts in the manifest
  describe exactly what was dumped);
- ``files/``: every file in the default storage (local folder or S3 bucket), read through
  Django's storage API;
- ``manifest.json``: format, Accord version, time, database vendor, row counts per table and
  each file's size and SHA-256.

The database is copied first and the files second. Accord writes a file before the row that
names it, so every row in the snapshot finds its file; a file uploaded in between is merely extra.

Unlike ``dumpdata``/``loaddata`` (which re-saves rows, so audit hashes, sequences and the
append-only triggers do not survive), both copies are byte-for-byte, so ``accord audit verify``
passes after a restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with a message for the operator."""


@dataclass(frozen=True)
class RestoreReport:
    """What a restore brought back."""

    tables: int
    rows: int
    files: int


def _accord_version() -> str:
    try:
        return package_version("accord")
    except PackageNotFoundError:
        return "unknown"


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - names from catalogue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _pg_args(settings: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore, password kept out of argv."""
    args = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed; it is needed to {what}.") from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed to {what}: {result.stderr.strip()}")


def _snapshot_database(target: Path, alias: str) -> dict[str, Any]:
    """Copy the database into ``target``; return its vendor, file name and row counts."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(destination)
            counts = _count_rows(destination.cursor(), _sqlite_tables(destination), _sqlite_quote)
        finally:
            destination.close()
        return {"vendor": "sqlite", "file": SQLITE_FILE, "tables": counts}
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            # One snapshot for the counts and for pg_dump, so the manifest says what was dumped.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            counts = _count_rows(cursor, tables, connection.ops.quote_name)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target / PG_FILE}",
                    *args,
                ],
                env,
                "dump the database",
            )
        return {"vendor": "postgresql", "file": PG_FILE, "tables": counts}
    raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage, through the storage API only (works for S3 as for disk)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Refusing the unsafe file name {name!r}.")
    return path


def _copy_files(storage: Storage, target: Path) -> list[dict[str, Any]]:
    listed = []
    for name in _walk(storage):
        destination = target / FILES / _safe_relative(name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as source, destination.open("wb") as out:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        listed.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    return listed


def backup_create(*, destination: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup to a new directory, or to a .tar.gz when the name ends so; the manifest."""
    archive = destination.name.endswith((".tar.gz", ".tgz"))
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new name for each backup.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".accord-backup-") as scratch:
        work = Path(scratch) / "backup"
        work.mkdir(mode=0o700)
        started = timezone.now()
        database = _snapshot_database(work, alias)
        files = _copy_files(default_storage, work)
        manifest = {
            "format": FORMAT,
            "accord_version": _accord_version(),
            "created_at": started.isoformat(),
            "database": database,
            "counts": {
                "tables": len(database["tables"]),
                "rows": sum(database["tables"].values()),
                "files": len(files),
            },
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if archive:
            with tarfile.open(destination, "w:gz") as tar:
                tar.add(work, arcname="accord-backup")
            destination.chmod(0o600)
        else:
            shutil.move(str(work), destination)
    return manifest


def _unpacked(source: Path, scratch: Path) -> Path:
    if source.is_dir():
        return source
    if not source.is_file() or not tarfile.is_tarfile(source):
        raise BackupError(f"{source} is neither a backup directory nor a backup archive.")
    with tarfile.open(source, "r:*") as tar:
        tar.extractall(scratch, filter="data")
    found = [path.parent for path in scratch.rglob(MANIFEST)]
    if len(found) != 1:
        raise BackupError(f"{source} does not hold exactly one Accord backup.")
    return found[0]


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not an Accord backup.") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{MANIFEST} is damaged ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"This backup has format {manifest.get('format')!r}; this Accord reads {FORMAT}."
        )
    return manifest


def _check_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Every listed file is present with its checksum, before anything is written."""
    for entry in manifest["files"]:
        path = folder / FILES / _safe_relative(entry["name"])
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {entry['name']} is missing.")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(
                f"The backup is damaged: {entry['name']} does not match its checksum."
            )


def _refuse_non_empty(alias: str) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"The database is not empty (it has {len(tables)} tables). Restore only into a new, "
            "empty database: create one (createdb, or a new ACCORD_DATA_DIR for SQLite), point "
            "DATABASE_URL at it and run accord restore again. Do not run migrate first."
        )


def _restore_database(folder: Path, manifest: dict[str, Any], alias: str) -> dict[str, int]:
    connection = connections[alias]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; the configured database is "
            f"{connection.vendor}."
        )
    dump = folder / manifest["database"]["file"]
    if not dump.is_file():
        raise BackupError(f"The backup is incomplete: {dump.name} is missing.")
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        args, env = _pg_args(connection.settings_dict)
        connection.close()
        _run(
            [
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                *args,
                str(dump),
            ],
            env,
            "restore the database",
        )
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _count_rows(cursor, tables, connection.ops.quote_name)


def _restore_files(folder: Path, manifest: dict[str, Any], storage: Storage) -> int:
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if hashlib.sha256(existing.read()).hexdigest() == entry["sha256"]:
                    continue
            raise BackupError(f"The storage already holds a different {name}; restore refused.")
        with (folder / FILES / _safe_relative(name)).open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}; restore refused.")
    return len(manifest["files"])


def backup_restore(*, source: Path, alias: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Bring a backup back into an empty database and the storage; check the rows came back."""
    with tempfile.TemporaryDirectory(prefix="accord-restore-") as scratch:
        folder = _unpacked(source, Path(scratch))
        manifest = _read_manifest(folder)
        _check_files(folder, manifest)
        _refuse_non_empty(alias)
        counts = _restore_database(folder, manifest, alias)
        expected = manifest["database"]["tables"]
        if counts != expected:
            differ = sorted(
                t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t)
            )
            raise BackupError(
                "The restored database does not match the backup's manifest (tables: "
                + ", ".join(differ[:10])
                + ")."
            )
        files = _restore_files(folder, manifest, default_storage)
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), files=files)
