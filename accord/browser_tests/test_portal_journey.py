"""A party signs in and sees their own mediation, and nothing of anyone else's."""

from __future__ import annotations

import re

import pytest

from accord.browser_tests.helpers import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_bob_sees_only_his_own_case_and_never_alices_details(page, live_server, live_service):
    family = live_service.cases["family"]
    civil = live_service.cases["civil"]
    alice = live_service.parties["alice"]

    sign_in(page, live_server.url, live_service.parties["bob"].email)
    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.get_by_role("heading", name="My mediation", level=1).is_visible()
    main = page.locator("main")
    assert family.reference in main.inner_text()
    assert civil.reference not in main.inner_text()

    page.get_by_role("link", name=f"Mediation {family.reference}").click()
    page.wait_for_url(re.compile(rf"/portal/cases/{family.pk}/$"))
    text = main.inner_text()
    assert "Alice Smith" in text and "Bob Jones" in text
    assert "2 Open Road, Leeds" in text
    assert page.get_by_role("heading", name="Support").is_visible()
    html = page.content()
    for secret in ("1 Hidden Lane", alice.email):
        assert secret not in html
    screenshot(page, "portal-case-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "portal-case-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    response = page.goto(f"{live_server.url}/portal/cases/{civil.pk}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    html = page.content()
    for secret in (civil.reference, "Carol Brown", "1 Hidden Lane", alice.email):
        assert secret not in html
