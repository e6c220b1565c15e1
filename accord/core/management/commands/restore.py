"""`accord restore SOURCE`: bring a backup made by `accord backup` into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by 'accord backup' into an EMPTY database (a non-empty one is "
        "refused) and put its files back in the storage. Then run 'accord audit verify'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="A backup directory or .tar.gz file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(source=options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {report.rows} rows in {report.tables} tables and {report.files} files. "
            "Now run: accord audit verify"
        )
