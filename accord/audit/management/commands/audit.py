"""`accord audit verify`: check that every organisation's audit chain is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.audit.models import AuditChainHead, AuditEvent
from accord.audit.verification import chain_verify, protection_problems
from accord.organisations.models import Organisation


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes every organisation's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Recompute the hash chains and report the first altered, inserted or "
            "missing event of each organisation. Exits with status 1 if any chain is broken.",
        )
        verify.add_argument(
            "--organisation",
            metavar="SLUG",
            help="Check only this organisation (its short name, as in the admin).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options.get("organisation"))

    def verify(self, slug: str | None) -> None:
        organisations = Organisation.objects.order_by("slug")
        if slug is not None:
            organisations = organisations.filter(slug=slug)
            if not organisations.exists():
                raise CommandError(f"No organisation has the short name {slug!r}.")
        failures: list[str] = []
        for name in protection_problems():
            failures.append(f"append-only protection: {name}")
            self.stderr.write(f"PROTECTION: {name}")
        for org_id, org_slug in list(organisations.values_list("id", "slug")):
            report = chain_verify(organisation_id=org_id)
            if report.problem is None:
                self.stdout.write(
                    f"{org_slug}: intact, {report.head_sequence} events, "
                    f"head {report.head_hash[:16] or '-'}"
                )
            else:
                failures.append(f"{org_slug}: {report.problem.message}")
                self.stderr.write(f"{org_slug}: BROKEN: {report.problem.message}")
        if slug is None:
            failures.extend(self._orphans())
        if failures:
            raise CommandError(
                f"The audit trail failed verification ({len(failures)} problem"
                f"{'s' if len(failures) != 1 else ''}): " + "; ".join(failures)
            )

    def _orphans(self) -> list[str]:
        """Chains whose organisation row is gone cannot be walked above: name them."""
        known = Organisation.objects.values("pk")
        orphan_ids = set(
            AuditEvent.objects.exclude(organisation_id__in=known)
            .order_by()
            .values_list("organisation_id", flat=True)
            .distinct()
        ) | set(
            AuditChainHead.objects.exclude(organisation_id__in=known).values_list(
                "organisation_id", flat=True
            )
        )
        problems = [
            f"organisation #{oid}: audit events or a chain head with no organisation"
            for oid in sorted(orphan_ids)
        ]
        for problem in problems:
            self.stderr.write(problem)
        return problems
