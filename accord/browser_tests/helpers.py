"""Small helpers for the browser journeys: viewport sizes, signing in and screenshots."""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any

from accord.testing.factories import TEST_PASSWORD, totp_code

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def screenshot(page: Any, name: str) -> str:
    """Save a full-page screenshot outside the repository (``ACCORD_SCREENSHOT_DIR`` or the
    system temporary folder) for people and CI to look at; returns its path."""
    folder = os.environ.get("ACCORD_SCREENSHOT_DIR") or tempfile.gettempdir()
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"accord-{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def sign_in(page: Any, base_url: str, email: str, *, with_code: bool = False) -> None:
    """Sign in through the forms as a person would, entering a two-factor code if asked to."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if with_code:
        enter_code(page)


def wait_for_fresh_code_window() -> None:
    """Wait for the next 30-second window if this one has under 5 seconds left."""
    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - (time.time() % period)
    if left < 5:
        time.sleep(left + 0.2)


def enter_code(page: Any) -> None:
    """Type the current two-factor code on the security code page.

    A code is good only for its own window (30 seconds): one typed in the last moments of a
    window can arrive in the next and be refused, so wait for a fresh window first then.
    """
    wait_for_fresh_code_window()
    page.get_by_label("Security code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()


def open_section(page: Any, name: str) -> None:
    """Open a section of the case workspace ("Timeline", "Mediation"...) by its tab, as a
    person would; the tab is a plain link, so this works with or without htmx."""
    page.get_by_role("navigation", name="Parts of the case").get_by_role("link", name=name).click()
    page.wait_for_selector(
        f'nav[aria-label="Parts of the case"] a[aria-current="page"]:text-is("{name}")'
    )


def enquire_as_family(
    tab: Any,
    url: str,
    *,
    applicant: tuple[str, str],
    other: tuple[str, str],
    child: tuple[str, str],
    date_of_birth: str = "",
) -> None:
    """Send a family enquiry on the public form at `url` as a person would: the applicant's and
    the other person's (name, email), one child (name, ISO date of birth), child arrangements,
    not urgent, no court proceedings."""
    from playwright.sync_api import expect

    tab.goto(url)
    expect(tab.get_by_role("heading", name="Ask about mediation")).to_be_visible()
    tab.get_by_label("Your full name").fill(applicant[0])
    tab.get_by_label("Your email address").fill(applicant[1])
    if date_of_birth:
        tab.get_by_label("Your date of birth").fill(date_of_birth)
    tab.get_by_label("Email", exact=True).check()
    tab.get_by_label("Other person 1: full name").fill(other[0])
    tab.get_by_label("Other person 1: email address").fill(other[1])
    tab.get_by_role("group", name="Is it safe for us to contact other person 1?").get_by_label(
        "Yes"
    ).check()
    tab.get_by_label("Child 1: name").fill(child[0])
    tab.get_by_label("Child 1: date of birth").fill(child[1])
    tab.get_by_label("Child arrangements").check()
    tab.get_by_label("Not urgent").check()
    tab.get_by_role("group", name="Are there court proceedings about any of this?").get_by_label(
        "No"
    ).check()
    time.sleep(3.2)  # the form refuses anything sent faster than a person could type it
    tab.get_by_role("button", name="Send").click()
    expect(tab.get_by_role("heading", name="Thank you")).to_be_visible()
