"""`accord import_bank_holidays <file>`: bring the national calendar into line with GOV.UK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import ValidationFailed
from accord.deadlines.services import bank_holidays_import


class Command(BaseCommand):
    help = (
        "Import GOV.UK's bank holidays (https://www.gov.uk/bank-holidays.json, downloaded to a "
        "file) so that working days match the published list. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Path to the downloaded bank-holidays.json file.")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        file = Path(path)
        if not file.exists():
            raise CommandError(
                f"No file at {file}. Download https://www.gov.uk/bank-holidays.json first."
            )
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise CommandError(
                f"{file} is not UTF-8 text, so it cannot be GOV.UK's JSON."
            ) from None
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
            ) from None
        except OSError as exc:
            raise CommandError(f"Could not read {file}: {exc.strerror or exc}.") from None
        try:
            result = bank_holidays_import(actor=None, data=data)
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        for region, count in result.checked.items():
            self.stdout.write(f"{region}: {count} published bank holidays checked.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Calendar updated: {result.added} added, {result.removed} removed, "
                f"{result.renamed} renamed (only differences from the holidays package are stored)."
            )
        )
