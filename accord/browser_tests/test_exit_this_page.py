"""'Exit this page' in a real browser: the button and Shift pressed three times both leave for
the neutral site and replace the page in the history, so Back does not return to it; typing
capitals does not trigger it; with JavaScript off the button is a plain link."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.context_processors import EXIT_THIS_PAGE_URL

pytestmark = pytest.mark.browser

NEUTRAL = "<!doctype html><title>Weather</title><h1>Weather</h1>"


def _neutral_site(page: Any) -> None:
    # The tests run offline: answer for the neutral site with a page of our own.
    page.context.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL),
    )


def _start(page: Any, live_server: Any, slug: str) -> str:
    """Open the sign-in page, then the public enquiry form: the form is the page to leave."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = f"{live_server.url}/enquire/{slug}/"
    page.goto(form)
    page.get_by_role("link", name="Exit this page").wait_for()
    return form


def test_shift_three_times_leaves_and_back_does_not_return(
    page: Any, live_server: Any, live_service: Any
) -> None:
    _neutral_site(page)
    form = _start(page, live_server, live_service.organisation.slug)
    # Capitals typed in a field hold Shift with a letter: they must not count.
    name = page.get_by_label("Your full name")
    name.click()
    name.press_sequentially("Ann Bea Cole")
    assert page.url == form
    page.get_by_role("heading", name="Ask about mediation").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_THIS_PAGE_URL)
    page.go_back()
    page.wait_for_load_state()
    # The enquiry form was replaced in the history: Back goes to the page before it.
    assert page.url.endswith("/accounts/login/")


def test_the_button_leaves_and_replaces_the_history_entry(
    page: Any, live_server: Any, live_service: Any
) -> None:
    _neutral_site(page)
    _start(page, live_server, live_service.organisation.slug)
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(EXIT_THIS_PAGE_URL)
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/")


def test_without_javascript_the_exit_is_a_plain_link(
    browser: Any, live_server: Any, live_service: Any
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        _neutral_site(page)
        page.goto(f"{live_server.url}/enquire/{live_service.organisation.slug}/")
        link = page.get_by_role("link", name="Exit this page")
        assert link.get_attribute("href") == EXIT_THIS_PAGE_URL
        link.click()
        page.wait_for_url(EXIT_THIS_PAGE_URL)
        assert page.get_by_role("heading", name="Weather").is_visible()
    finally:
        context.close()
