"""The ``accord`` command: Django's management commands plus Accord's own (demo, audit, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, defaulting to Accord's settings module."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["demo"] and "--codes" in args:
        # Before the settings load: find the running demo's data, and create no ./data/ folder.
        from accord.demo.location import use_recorded_demo_location

        problem = use_recorded_demo_location(os.environ)
        if problem:
            sys.stderr.write(problem + "\n")
            raise SystemExit(1)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings now: a configuration mistake is the operator's to fix, so it gets
        # the plain message rather than a traceback.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Accord is not configured correctly: {exc}\n")
        raise SystemExit(1) from None

    execute_from_command_line(["accord", *args])


if __name__ == "__main__":
    main()
