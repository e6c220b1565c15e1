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


def enter_code(page: Any) -> None:
    """Type the current two-factor code on the security code page.

    A code is good only for its own window (30 seconds): one typed in the last moments of a
    window can arrive in the next and be refused, so wait for a fresh window first then.
    """
    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - (time.time() % period)
    if left < 5:
        time.sleep(left + 0.2)
    page.get_by_label("Security code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()


def open_section(page: Any, name: str) -> None:
    """Open a section of the case workspace ("Timeline", "Mediation"...) by its tab, as a
    person would; the tab is a plain link, so this works with or without htmx."""
    page.get_by_role("navigation", name="Parts of the case").get_by_role("link", name=name).click()
    page.wait_for_selector(
        f'nav[aria-label="Parts of the case"] a[aria-current="page"]:text-is("{name}")'
    )
