"""How long does another writer wait while Accord produces a PDF? (Issue 15, item 5: 50 ms.)

Run by hand on SQLite (this is a benchmark, not a test; pytest never collects it), with a
fresh data folder of its own:

    ACCORD_DATA_DIR=/tmp/bench-pdf uv run python bench/pdf_writers.py --pages 40

It migrates that folder's database, builds the standard test service through the ordinary
services and prepares six documents: a written outcome (an MoU) with enough agreed items to
run to about `--pages` pages, an Agreement to Mediate whose signing packet is as long, a MIAM
certificate, a willingness letter, an Open Financial Statement (PDF and Word) from two
disclosures long enough to run to about `--pages` pages, and an invoice. For each it produces
the document through the service (`outcome_issue`, `packet_render_pdf`,
`miam_certificate_issue`, `willingness_invite` by letter, `statement_issue`, `invoice_issue`)
while another process, on its own database connection, makes one small write
transaction every 5 ms (`BEGIN IMMEDIATE`, an update, `COMMIT`) and records how long each took.

Each is run twice: as the service does it now (render first, then a short transaction) and
wrapped in one outer transaction, which is how every one of them ran before (the render inside
the write transaction): the second row is the "before" figure, measured in the same run.
A first row measures the writer alone for two seconds, nothing produced: the machine's own
noise (on a loaded machine the writer's process also waits for a core). It prints, per
document, the render time, the writer's longest wait, its 95th percentile, the number of
writes made meanwhile, and the longest short write transaction of the producing service
itself ("short tx": from its BEGIN to its COMMIT; in the "before" rows it is a savepoint
inside the long transaction). The writer runs in its own process, as another web worker or
the task worker would, so only the database's lock is measured, not Python's GIL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# bench/statistics.py would shadow the standard library's module of that name.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import statistics  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

WORDING = (
    "The parties agree that the arrangement set out here applies from the first Friday after "
    "this memorandum is signed, that each of them will keep the other informed of any change "
    "of address, school or health, and that they will review the arrangement together after "
    "six months, with the help of the mediator if either of them asks for it. "
)


def _write_loop(case_id: int, gap: float, stop: Any, results: Any) -> None:
    """In another process (as another web worker would be): a short write transaction every
    `gap` seconds until `stop` is set; sends back how long each took and the failures."""
    from accord.cases.models import Case

    connections.close_all()  # a connection of its own, never the parent's
    # Open it before timing anything: connecting (and its PRAGMAs) is not waiting for the lock.
    connection.ensure_connection()
    waits: list[float] = []
    errors = 0
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        try:
            with transaction.atomic():
                Case.objects.filter(pk=case_id).update(summary=f"write {n}")
        except Exception:  # "database is locked" after the busy timeout
            errors += 1
        waits.append((time.perf_counter() - started) * 1000)
        time.sleep(gap)
    results.send((waits, errors))
    connections.close_all()


class Writer:
    """Another writer, in its own process so that only the database lock is measured (not
    Python's GIL, which a render in the same process would hold)."""

    def __init__(self, case_id: int, gap: float = 0.005) -> None:
        import multiprocessing

        connections.close_all()  # never fork with an open connection
        context = multiprocessing.get_context("fork")
        self.stop = context.Event()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_write_loop, args=(case_id, gap, self.stop, send), daemon=True
        )
        self.waits: list[float] = []
        self.errors: list[str] = []

    def start(self) -> None:
        self._process.start()

    def join(self) -> None:
        waits, errors = self._receive.recv()
        self._process.join()
        self.waits, self.errors = waits, ["locked"] * errors


#: How long each short write transaction of accord.documents.produce lasted (ms), commit included.
_HELD: list[float] = []


class _TimedTransactions:
    """Stands in for `django.db.transaction` in accord.documents.produce to time its short
    transactions: what the writer waits for at most, the machine permitting."""

    def __getattr__(self, name: str) -> Any:
        return getattr(transaction, name)

    @contextlib.contextmanager
    def atomic(self, *args: Any, **kwargs: Any) -> Iterator[None]:
        started = time.perf_counter()
        try:
            with transaction.atomic(*args, **kwargs):
                yield
        finally:
            _HELD.append((time.perf_counter() - started) * 1000)


def measure(label: str, produce: Callable[[], Any], other_case_id: int) -> dict[str, Any]:
    """Produce one document while another writer writes; the writer's waits in ms."""
    writer = Writer(other_case_id)
    writer.start()
    time.sleep(0.05)
    _HELD.clear()
    started = time.perf_counter()
    produce()
    took = (time.perf_counter() - started) * 1000
    time.sleep(0.05)
    writer.stop.set()
    writer.join()
    waits = sorted(writer.waits)
    return {
        "label": label,
        "render_ms": took,
        "max_ms": waits[-1] if waits else 0.0,
        "p95_ms": waits[int(len(waits) * 0.95) - 1] if len(waits) >= 20 else max(waits or [0]),
        "median_ms": statistics.median(waits) if waits else 0.0,
        "writes": len(waits),
        "held_ms": max(_HELD, default=0.0),
        "errors": len(writer.errors),
    }


def _pages(version: Any) -> int:
    """The page count of a produced PDF."""
    from pypdf import PdfReader

    with version.content.open("rb") as handle:
        return len(PdfReader(handle).pages)


def _statement_case(service: Any, pages: int) -> Any:
    """A finances case whose two parties shared disclosures of about `pages` pages in all."""
    import datetime as dt

    from accord.finance import services as finance
    from accord.finance.tests.conftest import open_finance_case

    fin = open_finance_case(service)
    valued = dt.date.today() - dt.timedelta(days=30)
    for user, party, owner in ((fin.a_user, fin.a, "a"), (fin.b_user, fin.b, "b")):
        for n in range(pages * 7):  # about 14 rows of the statement's tables fill a page
            finance.disclosure_item_add(
                actor=user,
                case=fin.case,
                participant=party,
                part=("accounts", "liabilities", "income", "outgoings")[n % 4],
                description=f"Item {n} of {party.full_name}: account, loan or regular payment",
                owner=owner,
                value_pence=100_00 + n,
                valuation_date=valued,
            )
        finance.disclosure_share(actor=user, case=fin.case, participant=party)
    return fin.case


def _draft_invoice(service: Any, case: Any) -> Any:
    """A draft invoice for a held MIAM (the fee schedule of the fees tests)."""
    from accord.cases.models import PARTY_ROLES, Participant
    from accord.fees import services as fees
    from accord.fees.tests.test_fees import _held_miam, _schedule

    _schedule(service, kind=case.kind)
    party = Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id").first()
    assert party is not None
    _held_miam(service, case, party, 3)
    return fees.invoices_raise(actor=service.coordinator, case=case)[0]


def _one_style(service: Any, style: str, pages: int, *, inside: bool) -> list[dict[str, Any]]:
    """Produce the six documents on one service, the render outside or `inside` a transaction."""
    from accord.agreements import services as agreements
    from accord.agreements.models import SigningPacket
    from accord.cases.models import Participant
    from accord.meetings.models import Miam
    from accord.meetings.services.certificates import miam_certificate_issue
    from accord.outcomes import content
    from accord.outcomes import services as outcomes
    from accord.outcomes.tests.helpers import family_agreed
    from accord.testing.factories import ready_for_sessions
    from accord.willingness.services import willingness_invite

    for one in service.cases.values():
        ready_for_sessions(one)
    case, other = service.case, service.cases["civil"]
    family_agreed(service)

    def run(produce: Callable[[], Any]) -> Any:
        if inside:
            with transaction.atomic():
                return produce()
        return produce()

    rows: list[dict[str, Any]] = []
    if not inside:
        # The writer alone for two seconds: how long a write takes on this machine, now, with
        # nothing produced (a loaded machine delays the writer's own process too).
        rows.append(measure("Nothing produced (the writer alone)", lambda: time.sleep(2), other.pk))
    items = pages * 4  # an agreed item (or clause) and its wording fill about a quarter page
    draft = outcomes.outcome_draft_create(actor=service.mediator, case=case, kind="mou")
    fields = content.as_fields("mou", draft.sections)
    for n in range(1, items + 1):
        fields[f"item_{n}_title"] = f"Arrangement {n}"
        fields[f"item_{n}_wording"] = WORDING * 2
    draft = outcomes.outcome_draft_update(actor=service.mediator, draft=draft, fields=fields)
    issued: list[Any] = []

    def issue() -> None:
        issued.append(outcomes.outcome_issue(actor=service.mediator, draft=draft, confirm=True))

    rows.append(measure(f"MoU ({style})", lambda: run(issue), other.pk))
    rows[-1]["pages"] = _pages(issued[0].issued_version)

    agreement = agreements.agreement_create(actor=service.mediator, case=case)
    SigningPacket.objects.filter(pk=agreement.packet_id).update(
        text="\n\n".join(f"## Clause {n}\n\n{WORDING * 2}" for n in range(items))
    )
    packet = SigningPacket.objects.get(pk=agreement.packet_id)
    made: list[Any] = []

    def packet_pdfs() -> None:
        made.append(agreements.packet_render_pdf(actor=service.mediator, packet=packet))

    rows.append(measure(f"Agreement packet, 2 PDFs ({style})", lambda: run(packet_pdfs), other.pk))
    rows[-1]["pages"] = _pages(made[0])

    miam = Miam.objects.filter(case=case, status="held").first()
    attendee = miam.attendees.first() if miam else None
    if miam is not None and attendee is not None:

        def certificate() -> Any:
            return miam_certificate_issue(
                actor=service.mediator,
                miam=miam,
                party=attendee,
                outcome="not_suitable",
                court_application="c100",
                signed_name=service.mediator.full_name,
                confirm=True,
            )

        rows.append(measure(f"MIAM certificate ({style})", lambda: run(certificate), other.pk))
        rows[-1]["pages"] = 1
    bob = Participant.objects.filter(case=case, full_name="Bob Jones").first()
    if bob is not None:

        def letter() -> Any:
            return willingness_invite(
                actor=service.coordinator, case=case, participant=bob, channel="letter"
            )

        rows.append(measure(f"Willingness letter ({style})", lambda: run(letter), other.pk))
        rows[-1]["pages"] = 1

    from accord.fees.services import invoice_issue
    from accord.finance.statement import statement_issue

    finances = _statement_case(service, pages)
    statement: list[Any] = []

    def issue_statement() -> None:
        statement.extend(statement_issue(actor=service.mediator, case=finances))

    rows.append(
        measure(
            f"Statement, PDF + Word ({style})",
            lambda: run(issue_statement),
            other.pk,
        )
    )
    rows[-1]["pages"] = _pages(statement[0])
    draft = _draft_invoice(service, finances)
    invoices: list[Any] = []

    def invoice() -> None:
        invoices.append(invoice_issue(actor=service.coordinator, invoice=draft))

    rows.append(measure(f"Invoice ({style})", lambda: run(invoice), other.pk))
    rows[-1]["pages"] = _pages(invoices[0].document_version)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40, help="Length of the MoU and agreement.")
    args = parser.parse_args()
    if connection.vendor != "sqlite":
        sys.exit("This bench measures SQLite's single writer: run it without DATABASE_URL.")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from accord.documents import produce

    produce.transaction = _TimedTransactions()  # type: ignore[assignment]

    from accord.testing.factories import build_service

    pages = max(1, args.pages)
    stamp = int(time.time()) % 100000

    rows: list[dict[str, Any]] = []
    for n, style in enumerate(
        ("render, then a short transaction", "render inside one transaction (before)")
    ):
        # A service of its own for each style: each issues the first MoU of its case.
        service = build_service(
            name=f"Bench PDF {stamp} {n}", slug=f"pdf{stamp}{n}", prefix="PDF" + "AB"[n]
        )
        rows += _one_style(service, style, pages, inside=style.endswith("(before)"))
    print(f"\nSQLite, {connection.settings_dict['NAME']}; a write every 5 ms from another process")
    print(
        f"{'document':60} {'pages':>5} {'render':>8} {'max wait':>9} {'p95':>7} {'writes':>6} "
        f"{'short tx':>9}"
    )
    for row in rows:
        print(
            f"{row['label']:60} {row.get('pages', ''):>5} {row['render_ms']:7.0f}ms "
            f"{row['max_ms']:8.1f}ms {row['p95_ms']:6.1f}ms {row['writes']:6d} "
            f"{row['held_ms']:7.1f}ms" + (f"  ({row['errors']} failed)" if row["errors"] else "")
        )


if __name__ == "__main__":
    main()
