"""`accord demo`: migrate, load the demo services and serve the site with waitress."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, OperationalError, connection
from django.db.models import Count

from accord.demo.data import (
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_TOTP_SECRET,
    OTHER_DEMO_SLUG,
    DemoLogin,
    demo_is_loaded,
    demo_load,
    demo_logins,
    demo_staff_codes,
    totp_seconds_left,
)
from accord.demo.location import demo_location_record
from accord.organisations.models import Organisation


def parse_port(raw: str) -> int:
    """A TCP port from the command line, or a CommandError that says what is wrong."""
    try:
        port = int(str(raw).strip())
    except ValueError:
        raise CommandError(
            f"The port must be a whole number from 1 to 65535, not {raw!r}."
        ) from None
    if not 1 <= port <= 65535:
        raise CommandError(f"The port must be from 1 to 65535; {port} is out of range.")
    return port


def browser_url(host: str, port: int) -> str:
    """The address to open in a browser for a server listening on host:port."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104  (all interfaces: suggest the loopback name)
        host = "127.0.0.1"
    try:
        if ipaddress.ip_address(host).version == 6:
            host = f"[{host}]"
    except ValueError:
        pass  # a host name
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = (
        "Try Accord on this machine: apply migrations, load two demo mediation services "
        "(once), print the demo logins and serve the site with waitress."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", default="8000", help="Port to listen on (1-65535).")
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo and print the logins only."
        )
        parser.add_argument(
            "--codes",
            action="store_true",
            help="Print the current two-factor code of each demo member of staff, then stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo creates logins with a published password and two-factor secret, so "
                "it does not run with ACCORD_ENV=production."
            )
        if options["codes"]:
            self._print_codes()
            return
        host = str(options["host"]).strip()
        port = parse_port(options["port"])
        if not host:
            raise CommandError("The host must not be empty; use 127.0.0.1 for this machine only.")
        url = browser_url(host, port)
        # Links in the demo's emails (sent now or later by `accord worker`) point at this server.
        os.environ.setdefault("ACCORD_SITE_URL", url.rstrip("/"))
        # Bind before the slow work so a port in use or a bad host fails at once.
        server = None if options["no_serve"] else self._bind(host, port)
        try:
            log_file = Path(settings.DATA_DIR) / "demo.log"
            with _library_logging_to(log_file):
                self._prepare(verbosity=options["verbosity"])
            self._record_location()
            if server is not None:
                self._print_host_note(host)
            # The logins come last, so that nothing scrolls them off the screen.
            self._print_logins(url, serving=server is not None, log_file=log_file)
            if server is not None:
                self.stdout.write(f"Serving Accord on {url} (press Ctrl+C to stop).")
                server.run()
        finally:
            if server is not None:
                server.close()

    def _bind(self, host: str, port: int) -> Any:
        from waitress import create_server

        from accord.config.wsgi import application

        try:
            return create_server(application, host=host, port=port, ident="Accord")
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Port {port} is already in use on {host}. Stop the other program or choose "
                    "another port with --port."
                ) from None
            if exc.errno == errno.EACCES:
                raise CommandError(
                    f"Not allowed to listen on port {port}; ports below 1024 need administrator "
                    "rights. Choose another port with --port."
                ) from None
            raise CommandError(
                f"Cannot listen on {host}:{port} ({exc.strerror or exc}). Check --host: use "
                "127.0.0.1 for this machine only, or 0.0.0.0 for every network interface."
            ) from None
        except ValueError as exc:
            reason = str(exc).rstrip(".")
            raise CommandError(
                f"Cannot listen on {host}:{port} ({reason}). Check --host: use 127.0.0.1 for "
                "this machine only, or 0.0.0.0 for every network interface."
            ) from None

    def _prepare(self, *, verbosity: int) -> None:
        self.stdout.write(f"Database: {self._describe_database()}")
        self.stdout.write("Applying migrations…")
        try:
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
            call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        except OperationalError as exc:
            raise CommandError(
                f"Cannot use the database: {str(exc).strip()}. Check DATABASE_URL, or unset it "
                "to use the SQLite file in ./data/."
            ) from None
        summary = demo_load()
        services = (
            Organisation.objects.filter(slug__in=[DEMO_SLUG, OTHER_DEMO_SLUG])
            .annotate(case_count=Count("cases"))
            .order_by("-case_count")
        )
        counts = [
            f"{org.name} ({org.case_count} case{'s' if org.case_count != 1 else ''})"
            for org in services
        ]
        if summary.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo: {' and '.join(counts)}."))
        else:
            self.stdout.write(
                f"The demo is already loaded ({' and '.join(counts)}); "
                "the demo logins have been restored."
            )

    def _record_location(self) -> None:
        """Let `accord demo --codes` in another terminal find this database by itself."""
        try:
            demo_location_record(
                data_dir=str(settings.DATA_DIR), database_url=os.environ.get("DATABASE_URL")
            )
        except OSError as exc:
            self.stderr.write(
                f"Could not note where the demo's data is ({exc.strerror or exc}); for "
                "`accord demo --codes`, set ACCORD_DATA_DIR or DATABASE_URL as here."
            )

    def _describe_database(self) -> str:
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            return f"SQLite file {db['NAME']}"
        return (
            f"{connection.display_name} database {db['NAME']!r} on {db.get('HOST') or 'localhost'}"
        )

    def _print_logins(self, url: str, *, serving: bool, log_file: Path | None = None) -> None:
        write = self.stdout.write
        if log_file is not None and log_file.exists():
            write(f"Messages from loading the demo are in {log_file}.")
        write("")
        write(f"Sign in at {url} with any of these emails and the password: {DEMO_PASSWORD}")
        write("")
        logins = demo_logins()
        width = max(len(login.email) for login in logins) + 2
        for heading, staff in (("Staff (two-factor required)", True), ("Parties (portal)", False)):
            write(heading)
            for login in (item for item in logins if item.is_staff == staff):
                write(
                    f"  {login.email:<{width}}{login.name:<17}{login.service}: {login.description}"
                )
            write("")
        uri = (
            "otpauth://totp/Accord:demo-staff?secret="
            f"{DEMO_TOTP_SECRET}&issuer={quote(settings.MFA_TOTP_ISSUER)}"
        )
        write("Two-factor for staff: after the password, Accord asks for a 6-digit code.")
        write(f"  Add this secret to an authenticator app (time-based): {DEMO_TOTP_SECRET}")
        write(f"  or as a link: {uri}")
        write("  No app? Run `uv run accord demo --codes` to print the current code.")
        write("")
        write(f"Open {url} in a browser: the public page lists the services and their forms.")
        write(f"Public enquiry form (no sign-in): {url}enquire/{DEMO_SLUG}/")
        write("")
        if not serving:
            write("Start the site with `uv run accord demo`.")

    def _print_host_note(self, host: str) -> None:
        allowed = settings.ALLOWED_HOSTS
        if host in {"127.0.0.1", "localhost", "::1"} or "*" in allowed:
            return
        self.stdout.write(
            "Note: Accord answers only to the host names in ALLOWED_HOSTS "
            f"({', '.join(allowed) or 'none'}). To open it from another machine, set "
            "ALLOWED_HOSTS to this machine's name or address as well."
        )

    def _print_codes(self) -> None:
        codes: list[tuple[DemoLogin, str | None]] = []
        db_name = str(connection.settings_dict["NAME"])
        if (
            connection.vendor == "sqlite"
            and not connection.is_in_memory_db()  # type: ignore[attr-defined]
            and not Path(db_name).exists()
        ):
            # Opening a missing SQLite file would create an empty one: say what to set instead.
            raise CommandError(
                f"There is no demo database at {db_name}: run `uv run accord demo` first, or "
                "set ACCORD_DATA_DIR (or DATABASE_URL) to what the running demo uses."
            )
        try:
            loaded = demo_is_loaded()
            codes = demo_staff_codes() if loaded else []
        except DatabaseError:
            loaded = False
        if not loaded:
            raise CommandError(
                "The demo is not loaded yet in "
                f"{self._describe_database()}: run `uv run accord demo` first, or set "
                "ACCORD_DATA_DIR (or DATABASE_URL) to what the running demo uses."
            )
        seconds = totp_seconds_left()
        self.stdout.write(f"Current two-factor codes (valid for about {seconds} more seconds):")
        for login, code in codes:
            shown = code or "uses its own authenticator (run `uv run accord demo` to reset)"
            self.stdout.write(f"  {login.email:<34}{shown}")


@contextlib.contextmanager
def _library_logging_to(path: Path) -> Iterator[None]:
    """Send what libraries log while the demo loads to a file, not over the printed logins."""
    root = logging.getLogger()
    console = [h for h in root.handlers if isinstance(h, logging.StreamHandler)]
    console = [h for h in console if not isinstance(h, logging.FileHandler)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        yield  # an unwritable data folder fails later with its own message
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for existing in console:
        root.removeHandler(existing)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()
        for existing in console:
            root.addHandler(existing)
