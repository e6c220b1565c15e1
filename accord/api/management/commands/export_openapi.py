"""Write (or check) the committed OpenAPI schema, accord/api/openapi.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.api.openapi import REGENERATE_COMMAND, SCHEMA_PATH, render_schema


class Command(BaseCommand):
    """Regenerate the committed OpenAPI schema after changing the API."""

    help = "Write the API's OpenAPI schema to accord/api/openapi.json (or --check it is current)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=SCHEMA_PATH, help="Where to write the schema."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the file differs from the code (for CI).",
        )

    def handle(self, *args: Any, output: Path, check: bool, **options: Any) -> None:
        schema = render_schema()
        if check:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != schema:
                raise CommandError(f"{output} is out of date. Run: {REGENERATE_COMMAND}")
            self.stdout.write(f"{output} is up to date.")
            return
        output.write_text(schema, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}."))
