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
        verify.add_argument(
            "--anchor",
            metavar="SEQUENCE:HASH",
            help="With --organisation: also check that event SEQUENCE still has HASH, as printed "
            "by an earlier run and kept elsewhere. Catches a chain rewritten end to end.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options.get("organisation"), options.get("anchor"))

    def verify(self, slug: str | None, anchor: str | None = None) -> None:
        organisations = Organisation.objects.order_by("slug")
        if slug is not None:
            organisations = organisations.filter(slug=slug)
            if not organisations.exists():
                raise CommandError(f"No organisation has the short name {slug!r}.")
        anchored = self._parse_anchor(anchor, slug)
        failures: list[str] = []
        for name in protection_problems():
            failures.append(f"append-only protection: {name}")
            self.stderr.write(f"PROTECTION: {name}")
        for org_id, org_slug in list(organisations.values_list("id", "slug")):
            report = chain_verify(organisation_id=org_id)
            problem = report.problem.message if report.problem else None
            if problem is None and anchored is not None:
                problem = self._check_anchor(org_id, *anchored)
            if problem is None:
                self.stdout.write(
                    f"{org_slug}: intact, {report.head_sequence} events, "
                    f"head #{report.head_sequence} {report.head_hash or '-'}"
                )
            else:
                failures.append(f"{org_slug}: {problem}")
                self.stderr.write(f"{org_slug}: BROKEN: {problem}")
        if slug is None:
            failures.extend(self._orphans())
        if failures:
            raise CommandError(
                f"The audit trail failed verification ({len(failures)} problem"
                f"{'s' if len(failures) != 1 else ''}): " + "; ".join(failures)
            )

    def _parse_anchor(self, anchor: str | None, slug: str | None) -> tuple[int, str] | None:
        """SEQUENCE:HASH from an earlier run, for one organisation."""
        if anchor is None:
            return None
        if slug is None:
            raise CommandError("--anchor needs --organisation: each service has its own chain.")
        sequence, _, expected = anchor.partition(":")
        if not sequence.isdigit() or len(expected) != 64:
            raise CommandError(
                "Give the anchor as SEQUENCE:HASH, e.g. 4127:3f6f... (the 64-character hash)."
            )
        return int(sequence), expected.lower()

    def _check_anchor(self, organisation_id: int, sequence: int, expected: str) -> str | None:
        """A problem if the anchored event is gone or no longer has the recorded hash."""
        stored = (
            AuditEvent.objects.filter(organisation_id=organisation_id, sequence=sequence)
            .values_list("hash", flat=True)
            .first()
        )
        if stored is None:
            return f"event #{sequence} of the anchor no longer exists: the chain was cut back"
        if stored != expected:
            return (
                f"event #{sequence} no longer has the anchored hash: the chain was rewritten "
                "from that event onwards"
            )
        return None

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
