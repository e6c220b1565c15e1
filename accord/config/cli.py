"""The ``accord`` command: Django's management commands plus Accord's own (demo, audit, ...)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, defaulting to Accord's settings module."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["accord", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
