"""Every email carries absolute links, whoever sends it: a path alone is useless in an inbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from accord.core.links import DEVELOPMENT_SITE_URL, absolute_url, site_url

ROOT = Path(__file__).resolve().parents[2]
#: A path at the start of a word ("/respond/ABC/", "(/portal/)") or in an href, with no host.
RELATIVE = re.compile(r"""(?:^|[\s(<"'=])(/[A-Za-z0-9_\-][A-Za-z0-9_\-./?=&%#]*)""", re.M)


def relative_links(text: str) -> list[str]:
    """The paths in an email that have no scheme and host in front of them."""
    return RELATIVE.findall(text)


def test_the_relative_link_finder_finds_paths_and_passes_full_addresses():
    assert relative_links("Answer here: /respond/ABC123/ today") == ["/respond/ABC123/"]
    assert relative_links('<a href="/portal/">') == ["/portal/"]
    assert relative_links("Answer here: https://accord.example/respond/ABC123/") == []
    assert relative_links("Open 9 to 5, 24/7 help, and/or call") == []


def test_every_email_template_builds_no_relative_link():
    templates = [
        path
        for path in ROOT.rglob("*.txt")
        if "templates" in path.parts and any("email" in part for part in path.parts)
    ]
    assert len(templates) >= 8
    for path in templates:
        source = path.read_text(encoding="utf-8")
        # {% url %} gives a path only; emails get full addresses from accord.core.links.
        assert "{% url " not in source, path
        assert relative_links(source) == [], path


def test_the_site_address_comes_from_the_setting_then_allowed_hosts_then_the_default(
    settings, monkeypatch
):
    monkeypatch.delenv("ACCORD_SITE_URL", raising=False)
    settings.ACCORD_SITE_URL = "https://mediation.example.org/"
    assert site_url() == "https://mediation.example.org"
    assert absolute_url("/respond/ABC/") == "https://mediation.example.org/respond/ABC/"

    del settings.ACCORD_SITE_URL
    settings.PRODUCTION = True
    settings.ALLOWED_HOSTS = ["accord.riverside.example", "*"]
    assert site_url() == "https://accord.riverside.example"

    settings.PRODUCTION = False
    assert site_url() == DEVELOPMENT_SITE_URL
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@pytest.mark.django_db
def test_every_email_the_demo_sends_or_queues_holds_only_absolute_links(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The demo walks cases through invitations, MIAMs, signing, sessions and outcomes."""
    import datetime as dt

    from django.utils import timezone

    from accord.deadlines.delivery import reminders_dispatch_due
    from accord.deadlines.models import OutboundEmail
    from accord.demo.data import demo_load

    monkeypatch.delenv("ACCORD_SITE_URL", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()  # portal invitations are sent after commit
    # What `accord worker` will write over the next months: every reminder the demo scheduled.
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(days=400))

    bodies = {f"outbox: {m.subject}": str(m.body) for m in mail.outbox}
    bodies |= {
        f"queued: {subject}": body
        for subject, body in OutboundEmail.objects.values_list("subject", "body")
    }
    assert len(bodies) >= 5, sorted(bodies)
    with_links = [name for name, body in bodies.items() if DEVELOPMENT_SITE_URL in body]
    assert with_links, sorted(bodies)
    assert any("/invite/" in body for body in bodies.values()), sorted(bodies)
    for name, body in bodies.items():
        assert relative_links(body) == [], name
