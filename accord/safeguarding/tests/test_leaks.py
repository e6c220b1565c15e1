"""After a full safeguarding workflow, nothing of it reaches the parties: pages, API or email.

The URL patterns are walked, not listed by hand, so a page or endpoint added later is checked too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accord.cases.models import Participant
from accord.deadlines.models import Deadline, OutboundEmail
from accord.safeguarding.tests.helpers import (
    AGENCY,
    ALLEGATION,
    AREA,
    INVESTIGATION_REF,
    REFERENCE,
    SHARED,
    SUBJECT,
    Clock,
    full_workflow,
)

pytestmark = pytest.mark.django_db

SECRETS = (ALLEGATION, SUBJECT, AGENCY, AREA, REFERENCE, SHARED, INVESTIGATION_REF, "999 called")
#: Routes a party is never meant to use and that cannot show case data (Django's admin is
#: for platform operators and answers a party with its own login page).
_SKIP_PREFIXES = ("admin/",)
#: The API's schema and its docs page describe fields (one mentions safeguarding) and are the same
#: for everyone; they are still checked for every piece of record text.
_DOCUMENTATION = re.compile(r"^/api/v1/(openapi\.json|docs)")
_PARAM = re.compile(r"<(?:(?P<converter>[a-z_]+):)?(?P<name>\w+)>")


def _routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route in the project as a path template, e.g. "cases/<int:pk>/"."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("^"):
            continue  # regex routes belong to third-party admin screens
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _fill(route: str, values: dict[str, list[str]]) -> Iterator[str]:
    """Every concrete path for a route, trying each candidate value for each parameter."""
    params = list(_PARAM.finditer(route))
    choices = []
    for match in params:
        converter = match.group("converter") or "str"
        choices.append(
            values["int"]
            if converter == "int"
            else values[converter]
            if converter in values
            else values["str"]
        )
    for combo in itertools.product(*choices):
        path = route
        for match, value in zip(params, combo, strict=True):
            path = path.replace(match.group(0), value, 1)
        yield "/" + path


def _candidate_values(service: Any, worked: Any) -> dict[str, list[str]]:
    ids = {
        service.case.pk,
        worked.concern.pk,
        worked.decision.pk,
        worked.referral.pk,
        worked.self_referral.pk,
        *Participant.objects.filter(case=service.case).values_list("pk", flat=True),
        *Deadline.objects.filter(case=service.case).values_list("pk", flat=True),
    }
    return {
        "int": [str(i) for i in sorted(ids)],
        "str": ["x", service.case.reference],
        "slug": ["x"],
        "path": ["x"],
        "uuid": ["00000000-0000-0000-0000-000000000000"],
    }


def _assert_clean(text: str, where: str, *, documentation: bool = False) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"
    if not documentation:
        lowered = text.lower()
        assert "safeguarding" not in lowered, f"'safeguarding' appears in {where}"
        # The case is paused for the investigation; a pause alone would tip off a party.
        assert "paused" not in lowered.replace('"is_paused"', ""), f"the pause shows in {where}"
        assert not re.search(r'"is_paused":\s*true', lowered), f"the pause shows in {where}"


def _party_urls(service: Any, worked: Any) -> list[str]:
    values = _candidate_values(service, worked)
    urls: list[str] = []
    for route in _routes():
        if route.startswith(_SKIP_PREFIXES):
            continue
        urls.extend(_fill(route, values))
    return sorted(set(urls))


def test_nothing_of_the_safeguarding_record_reaches_the_parties(service, clock: Clock) -> None:
    worked = full_workflow(service, clock)
    urls = _party_urls(service, worked)
    api_urls = [u for u in urls if u.startswith("/api/v1/")]
    portal_urls = [u for u in urls if u.startswith("/portal/")]
    assert api_urls, "no API routes found: the walk of the URL patterns is broken"
    assert portal_urls, "no portal routes found: the walk of the URL patterns is broken"
    for party in ("alice", "bob"):
        client = Client()
        client.force_login(service.parties[party])
        reached = 0
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            if response.status_code == 200:
                reached += 1
            body = b"".join(response) if response.streaming else response.content
            _assert_clean(
                body.decode("utf-8", "replace"),
                f"{url} as {party}",
                documentation=bool(_DOCUMENTATION.match(url)),
            )
            _assert_clean(str(response.headers), f"headers of {url} as {party}")
        # The party really did see their portal and the API, so the checks above had content.
        assert reached >= 3, f"{party} reached only {reached} pages"


def test_no_email_carries_the_safeguarding_record(service, clock: Clock) -> None:
    from accord.deadlines.delivery import outbox_deliver_due, reminders_dispatch_due

    full_workflow(service, clock)
    reminders_dispatch_due()
    outbox_deliver_due()
    emails = [(m.subject, m.body, ",".join(m.to)) for m in mail.outbox]
    emails += [(e.subject, e.body, e.to_email) for e in OutboundEmail.objects.all()]
    assert emails, "the escalation should have written at least one email"
    party_addresses = {u.email for u in service.parties.values()}
    for subject, body, to in emails:
        for secret in SECRETS:
            assert secret not in subject and secret not in body, f"{secret!r} in email to {to}"
        assert not set(to.split(",")) & party_addresses, f"a party was emailed: {subject}"
        assert "safeguarding" not in subject.lower()
