"""`accord retention [--dry-run] [--service SLUG]`: run the retention sweep and print its report."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Erase or anonymise records past their retention period (report only with --dry-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report; change nothing.")
        parser.add_argument("--service", help="The service's slug (default: every service).")

    def handle(self, *args: Any, **options: Any) -> None:
        from accord.organisations.models import Organisation
        from accord.records.retention import retention_sweep

        services = Organisation.objects.order_by("name")
        if options.get("service"):
            services = services.filter(slug=options["service"])
            if not services.exists():
                raise CommandError(f"No service with the slug {options['service']!r}.")
        for organisation in services:
            report = retention_sweep(organisation=organisation, dry_run=options["dry_run"])
            for line in report.lines():
                self.stdout.write(line)
