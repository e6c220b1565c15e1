"""'Exit this page' is on every page a party or member of the public sees, never on staff pages,
and works without JavaScript: a plain link to a neutral site, with the script as a static file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from accord.core.context_processors import EXIT_THIS_PAGE_URL
from accord.testing.factories import party_with_login
from accord.willingness.tests.helpers import invite

pytestmark = pytest.mark.django_db

EXIT_LINK = re.compile(
    r'<a href="(?P<href>[^"]+)" class="[^"]*exit-this-page-button[^"]*" rel="nofollow noreferrer"'
)


def _exit_href(html: str) -> str | None:
    match = EXIT_LINK.search(html)
    return match.group("href") if match else None


def _assert_exit(response: Any) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert _exit_href(html) == EXIT_THIS_PAGE_URL
    assert "Exit this page" in html
    assert "/static/accord/exit-this-page.js" in html


def test_the_exit_leads_to_a_neutral_site_outside_accord() -> None:
    assert EXIT_THIS_PAGE_URL.startswith("https://www.bbc.co.uk/")


def test_sign_in_and_the_public_enquiry_offer_the_exit(client: Any, service: Any) -> None:
    _assert_exit(client.get(reverse("account_login")))
    _assert_exit(client.get(reverse("intake:public", args=[service.organisation.slug])))


def test_the_invitation_answer_page_offers_the_exit(client: Any, service: Any) -> None:
    invitation = invite(service)
    _assert_exit(client.get(reverse("willingness:respond", args=[invitation.secret])))


def test_the_party_portal_offers_the_exit(client: Any, service: Any) -> None:
    _, user = party_with_login(
        service.case, actor=service.coordinator, name="Ann Lee", email="ann@parties.example"
    )
    client.force_login(user)
    _assert_exit(client.get(reverse("portal:home")))
    _assert_exit(client.get(reverse("portal:case", args=[service.case.pk])))


def test_staff_pages_do_not_carry_the_exit(client: Any, service: Any) -> None:
    client.force_login(service.coordinator)
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _exit_href(html) is None
    assert "exit-this-page.js" not in html


def test_the_exit_script_is_a_static_file_with_no_inline_code_in_the_page(
    client: Any, service: Any
) -> None:
    path = finders.find("accord/exit-this-page.js")
    assert path
    script = Path(path).read_text(encoding="utf-8")
    assert "location.replace" in script and '"Shift"' in script
    html = client.get(reverse("account_login")).content.decode()
    # No inline scripts, styles or handlers: the Content-Security-Policy forbids them.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
    assert ' style="' not in html
