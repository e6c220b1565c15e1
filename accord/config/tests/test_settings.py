"""Environment-only configuration: production hardening, refusals and development defaults.

Settings are read once per process, so each case runs `accord` in a subprocess with exactly
the environment an operator would set.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
#: The only variables passed on from the calling shell: what finds programs and temporary files.
#: Anything else (DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE set by browser tests...) would change
#: what is being tested.
_PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def run_python(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's Python with a clean, explicit environment and a private data folder."""
    full_env = {k: os.environ[k] for k in _PASSED_ON if k in os.environ}
    full_env["ACCORD_DATA_DIR"] = str(data_dir)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_accord(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the `accord` command line as an operator would."""
    return run_python("-m", "accord", *args, env=env, data_dir=data_dir)


def production_env(**extra: str) -> dict[str, str]:
    return {
        "ACCORD_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "mediation.example.org",
        "ACCORD_SITE_URL": "https://mediation.example.org",
        **extra,
    }


@pytest.mark.parametrize(
    "database_url",
    ["", "postgres://accord:s3cret@db.internal:5432/accord"],
    ids=["embedded-sqlite", "postgresql"],
)
def test_production_settings_pass_the_deployment_checks_with_no_warnings(tmp_path, database_url):
    env = production_env(DATABASE_URL=database_url) if database_url else production_env()

    result = run_accord("check", "--deploy", "--fail-level", "WARNING", env=env, data_dir=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    ["", "django-insecure-" + "x" * 60, "short-but-set"],
    ids=["missing", "django-insecure", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    env = production_env(SECRET_KEY=secret_key)

    result = run_accord("check", env=env, data_dir=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY must be set to a random value of at least 50 characters" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_wsgi_application_refuses_a_missing_secret_key(tmp_path):
    env = production_env(SECRET_KEY="")
    code = "import accord.config.wsgi"

    result = run_python("-c", code, env=env, data_dir=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_accord("check", env=production_env(ALLOWED_HOSTS=""), data_dir=tmp_path)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the site's host names in production." in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'."),
        ("SESSION_COOKIE_AGE", "8h", "SESSION_COOKIE_AGE must be a whole number, not '8h'."),
        ("ACCORD_ENV", "staging", "ACCORD_ENV must be development, production or test."),
        ("ACCORD_CACHE", "memcached", "ACCORD_CACHE must be database, redis or locmem."),
        ("ACCORD_CACHE", "redis", "ACCORD_CACHE=redis needs REDIS_URL"),
        ("ACCORD_STORAGE", "ftp", "ACCORD_STORAGE must be local or s3."),
        ("ACCORD_STORAGE", "s3", "ACCORD_STORAGE=s3 needs ACCORD_S3_BUCKET"),
    ],
)
def test_a_malformed_setting_is_named_in_a_plain_error(tmp_path, name, value, message):
    result = run_accord("check", env={name: value}, data_dir=tmp_path)

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _settings_as_seen_by(env: dict[str, str], data_dir: Path, *names: str) -> dict[str, Any]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(
        "-c",
        code,
        env={"DJANGO_SETTINGS_MODULE": "accord.config.settings", **env},
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_defaults_to_sqlite_in_the_data_folder_and_serves_static_from_apps(tmp_path):
    seen = _settings_as_seen_by({}, tmp_path, "DATABASES", "WHITENOISE_USE_FINDERS", "DEBUG")

    assert seen["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert seen["DATABASES"]["default"]["NAME"] == str(tmp_path / "accord.sqlite3")
    assert seen["WHITENOISE_USE_FINDERS"] is True
    assert seen["DEBUG"] is False


def test_production_reads_the_database_and_hosts_from_the_environment(tmp_path):
    env = production_env(
        DATABASE_URL="postgres://accord:pw@db.internal:5432/accord",
        ALLOWED_HOSTS="mediation.example.org, www.mediation.example.org",
        CSRF_TRUSTED_ORIGINS="https://mediation.example.org",
        SESSION_COOKIE_AGE="3600",
    )

    seen = _settings_as_seen_by(
        env,
        tmp_path,
        "DATABASES",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_SECURE",
        "WHITENOISE_USE_FINDERS",
    )

    assert seen["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert seen["DATABASES"]["default"]["HOST"] == "db.internal"
    assert seen["ALLOWED_HOSTS"] == ["mediation.example.org", "www.mediation.example.org"]
    assert seen["CSRF_TRUSTED_ORIGINS"] == ["https://mediation.example.org"]
    assert seen["SESSION_COOKIE_AGE"] == 3600
    assert seen["SESSION_COOKIE_SECURE"] is True
    assert seen["WHITENOISE_USE_FINDERS"] is False


def test_production_collectstatic_builds_a_manifest_with_the_stylesheet(tmp_path):
    static_root = tmp_path / "static"
    env = production_env(STATIC_ROOT=str(static_root))

    # django-ninja's API-docs bundles are megabytes of JavaScript that only make compression slow.
    result = run_accord(
        "collectstatic", "--noinput", "--ignore", "ninja", env=env, data_dir=tmp_path
    )

    assert result.returncode == 0, result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert "accord/accord.css" in manifest["paths"]
    assert (static_root / manifest["paths"]["accord/accord.css"]).exists()


def test_outside_production_whitenoise_serves_the_stylesheet_from_the_app_folder(client):
    response = client.get("/static/accord/accord.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content)


def test_production_shares_one_database_cache_between_processes(tmp_path):
    seen = _settings_as_seen_by(production_env(), tmp_path, "CACHES")

    assert seen["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_development_keeps_the_cache_in_memory(tmp_path):
    seen = _settings_as_seen_by({}, tmp_path, "CACHES")

    assert seen["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_uses_redis_as_the_shared_cache_when_redis_url_is_set(tmp_path):
    env = production_env(REDIS_URL="redis://127.0.0.1:6379/3")

    seen = _settings_as_seen_by(env, tmp_path, "CACHES")

    assert seen["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


def test_development_keeps_a_per_process_cache(tmp_path):
    seen = _settings_as_seen_by({}, tmp_path, "CACHES")

    assert seen["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = run_accord("check", env=production_env(DEBUG="true"), data_dir=tmp_path)

    assert result.returncode == 1
    assert "DEBUG must be off in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_the_site_url(tmp_path):
    result = run_accord("check", env=production_env(ACCORD_SITE_URL=""), data_dir=tmp_path)

    assert result.returncode == 1
    assert "ACCORD_SITE_URL must be set in production" in result.stderr


def test_s3_storage_is_selected_by_the_environment_and_never_public(tmp_path):
    env = production_env(
        ACCORD_STORAGE="s3",
        ACCORD_S3_BUCKET="accord-files",
        ACCORD_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )

    seen = _settings_as_seen_by(env, tmp_path, "STORAGES")

    default = seen["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "accord-files"
    assert default["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert default["OPTIONS"]["default_acl"] is None
