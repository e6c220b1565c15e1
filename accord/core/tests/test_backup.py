"""`accord backup` and `accord restore`: the round trip keeps the audit trail verifiable, the rows
and the files; a non-empty database or a damaged backup is refused with a clear message."""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.config.tests.test_settings import run_accord
from accord.core.backup import _restore_files
from accord.testing.s3 import bucket_keys, s3_server, s3_storage_settings

pytestmark = pytest.mark.django_db(transaction=True)

LETTER = b"%PDF-1.7 a letter"


@pytest.fixture(autouse=True)
def file_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "live-files")},
        },
    }


@pytest.fixture
def backed_up(service, tmp_path):
    """A service with cases and audit events, one stored file, and its backup archive."""
    default_storage.save("documents/1/letter.pdf", ContentFile(LETTER))
    archive = tmp_path / "backups" / "accord.tar.gz"
    call_command("backup", str(archive))
    return archive


def _restore_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh installation: an empty database of the same kind."""
    if connection.vendor == "sqlite":
        return {}
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = quote(settings["USER"] or "")
    if settings.get("PASSWORD"):
        auth += ":" + quote(settings["PASSWORD"])
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return {"DATABASE_URL": f"postgres://{auth}@{host}/{name}", "_DROP": name}


@pytest.fixture
def fresh_install(tmp_path):
    env = _restore_env(tmp_path)
    drop = env.pop("_DROP", None)
    yield env
    if drop:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


def test_a_backup_holds_the_database_the_files_and_a_manifest_of_counts(backed_up, tmp_path):
    call_command("backup", str(tmp_path / "plain"))

    manifest = json.loads((tmp_path / "plain" / "manifest.json").read_text())
    assert manifest["format"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"]["audit_auditevent"] == AuditEvent.objects.count() > 0
    assert manifest["database"]["tables"]["cases_case"] == Case.objects.count()
    assert [f["name"] for f in manifest["files"]] == ["documents/1/letter.pdf"]
    assert (tmp_path / "plain" / "files" / "documents" / "1" / "letter.pdf").read_bytes() == LETTER
    assert (tmp_path / "plain" / manifest["database"]["file"]).stat().st_size > 0


def test_restore_into_an_empty_database_passes_audit_verify_and_the_data_matches(
    backed_up, tmp_path, fresh_install
):
    restored_dir = tmp_path / "restored"
    references = sorted(Case.objects.values_list("reference", flat=True))

    result = run_accord("restore", str(backed_up), env=fresh_install, data_dir=restored_dir)

    assert result.returncode == 0, result.stderr
    assert "Now run: accord audit verify" in result.stdout
    verify = run_accord("audit", "verify", env=fresh_install, data_dir=restored_dir)
    assert verify.returncode == 0, verify.stderr
    assert "intact" in verify.stdout
    assert (restored_dir / "files" / "documents" / "1" / "letter.pdf").read_bytes() == LETTER
    code = (
        "import django, json; django.setup(); from accord.cases.models import Case; "
        "print(json.dumps(sorted(Case.objects.values_list('reference', flat=True))))"
    )
    shell = run_accord("shell", "-c", code, env=fresh_install, data_dir=restored_dir)
    assert json.loads(shell.stdout.strip().splitlines()[-1]) == references

    again = run_accord("restore", str(backed_up), env=fresh_install, data_dir=restored_dir)

    assert again.returncode == 1
    assert "The database is not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(service, tmp_path):
    default_storage.save("documents/1/letter.pdf", ContentFile(LETTER))
    call_command("backup", str(tmp_path / "plain"))
    (tmp_path / "plain" / "files" / "documents" / "1" / "letter.pdf").write_bytes(b"tampered")

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(tmp_path / "plain"))


def test_restore_refuses_the_live_non_empty_database(backed_up):
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(backed_up))


def test_a_backup_never_overwrites_an_earlier_one(backed_up):
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(backed_up))


def test_backup_and_restore_read_and_write_files_through_s3_storage(service, settings, tmp_path):
    # moto keeps one bucket per process, shared with other tests: each test uses its own prefix.
    source, target = f"backup-{secrets.token_hex(4)}", f"restored-{secrets.token_hex(4)}"
    with s3_server() as endpoint:
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage_settings(endpoint, prefix=source),
        }
        default_storage.save("rooms/1/statement.pdf", ContentFile(LETTER))
        call_command("backup", str(tmp_path / "b"))
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
        assert [f["name"] for f in manifest["files"]] == ["rooms/1/statement.pdf"]
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_storage_settings(endpoint, prefix=target),
        }

        assert _restore_files(tmp_path / "b", manifest, default_storage) == 1

        assert f"{target}/rooms/1/statement.pdf" in bucket_keys(endpoint)
        with default_storage.open("rooms/1/statement.pdf", "rb") as handle:
            assert handle.read() == LETTER


def test_the_sqlite_backup_is_a_readable_database(backed_up, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite file is written only for a SQLite database.")
    call_command("backup", str(tmp_path / "plain"))

    copy = sqlite3.connect(tmp_path / "plain" / "database.sqlite3")
    try:
        (count,) = copy.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()
    finally:
        copy.close()
    assert count == AuditEvent.objects.count()


#: Apps added since backup was written: their tables and files must come back too.
NEWER_APPS = ("finance", "children", "fees", "records", "complaints", "send")


def row_digests() -> dict[str, str]:
    """A SHA-256 of every model's rows in primary-key order, by model (run on both sides)."""
    import hashlib

    from django.apps import apps

    digests = {}
    for model in apps.get_models():
        rows = model._base_manager.order_by("pk").values_list()
        digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def test_the_demo_with_every_newer_app_restores_row_for_row_and_file_for_file(
    tmp_path, fresh_install
):
    from accord.demo.data import demo_load

    demo_load()
    archive = tmp_path / "backups" / "demo.tar.gz"
    call_command("backup", str(tmp_path / "plain"))
    call_command("backup", str(archive))
    manifest = json.loads((tmp_path / "plain" / "manifest.json").read_text())
    tables = manifest["database"]["tables"]
    for app in NEWER_APPS:
        assert sum(n for t, n in tables.items() if t.startswith(f"{app}_")) > 0, app
    names = [entry["name"] for entry in manifest["files"]]
    assert any(name.startswith("finance/") for name in names), names
    assert len(names) >= 5, names
    before = row_digests()
    restored_dir = tmp_path / "restored"

    result = run_accord("restore", str(archive), env=fresh_install, data_dir=restored_dir)

    assert result.returncode == 0, result.stderr
    verify = run_accord("audit", "verify", env=fresh_install, data_dir=restored_dir)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "intact" in verify.stdout
    code = (
        "import django, json; django.setup(); "
        "from accord.core.tests.test_backup import row_digests; print(json.dumps(row_digests()))"
    )
    shell = run_accord("shell", "-c", code, env=fresh_install, data_dir=restored_dir)
    assert shell.returncode == 0, shell.stderr
    after = json.loads(shell.stdout.strip().splitlines()[-1])
    differ = sorted(label for label in before if before[label] != after.get(label))
    assert differ == [], differ
    for entry in manifest["files"]:
        restored = (restored_dir / "files" / entry["name"]).read_bytes()
        assert hashlib.sha256(restored).hexdigest() == entry["sha256"], entry["name"]
