"""A children case in the browser: the mediator builds a 2-2-5-5 schedule with alternating
Christmas, compares it with an every-other-weekend proposal, both parents see the comparison, the
agreed schedule feeds the maintenance estimate, and the issued parenting plan (PDF and Word)
carries the names, the headings the mediator chose and the schedule's overnights."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accord.browser_tests.helpers import DESKTOP, sign_in

pytestmark = pytest.mark.browser


def _parent_tab(browser: Any, base: str, email: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    sign_in(tab, base, email)
    tab.wait_for_url(re.compile(r"/portal/$"))
    return context, tab


def _build(page: Any, base: str, case_pk: int, name: str, pattern: str, christmas: str) -> None:
    page.goto(f"{base}/cases/{case_pk}/schedules/new/")
    page.get_by_label("Name of the proposal").fill(name)
    page.get_by_label("Pattern").select_option(label=pattern)
    page.get_by_label("Anchor date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Handover time").fill("18:00")
    if christmas:
        page.get_by_label("Christmas (24 to 26 December)").select_option(label=christmas)
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_schedules_compared_agreed_and_carried_into_the_parenting_plan(
    browser: Any, page: Any, live_server: Any, live_service: Any
) -> None:
    from accord.children import services as children
    from accord.children.models import CareSchedule
    from accord.children.tests.conftest import born_years_ago
    from accord.documents.models import DocumentVersion
    from accord.documents.tests.pdftext import pdf_text
    from accord.outcomes import content
    from accord.outcomes import services as outcomes
    from accord.testing.journey import agree_item

    service = live_service
    base = live_server.url
    case = service.cases["family"]
    children.child_add(
        actor=service.coordinator,
        case=case,
        full_name="Maya Smith",
        date_of_birth=born_years_ago(11),
    )

    sign_in(page, base, service.mediator.email, with_code=True)
    # A rotation with no days is refused with a clear message, and nothing is saved.
    page.goto(f"{base}/cases/{case.pk}/schedules/new/")
    page.get_by_label("Name of the proposal").fill("Empty")
    page.get_by_label("Anchor date").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text("at least one day")
    assert not CareSchedule.objects.exists()

    _build(
        page,
        base,
        case.pk,
        "2-2-5-5",
        "2-2-5-5 (7 nights each)",
        "Alternate years: Alice Smith in even years",
    )
    _build(
        page,
        base,
        case.pk,
        "Every other weekend",
        "Every other weekend, Friday to Monday morning (3 of 14 nights)",
        "",
    )
    first, second = CareSchedule.objects.order_by("id")
    compare = f"{base}/cases/{case.pk}/schedules/compare/?a={first.pk}&b={second.pk}"
    page.goto(compare)
    expect(page.get_by_role("heading", name="Compare two proposals")).to_be_visible()
    expect(page.locator("td.day-differs").first).to_be_visible()

    for email in ("alice@riverside.example", "bob@riverside.example"):
        context, tab = _parent_tab(browser, base, email)
        tab.goto(compare)
        expect(tab.get_by_role("heading", name="Compare two proposals")).to_be_visible()
        expect(tab.locator("td.day-differs").first).to_be_visible()
        context.close()

    page.goto(f"{base}/cases/{case.pk}/schedules/{first.pk}/")
    page.get_by_role("button", name="Record this as the agreed schedule").click()
    expect(page.get_by_text("This is now the agreed schedule.")).to_be_visible()

    # The agreed schedule feeds the estimate (once the maintenance calculator is installed).
    page.goto(f"{base}/cases/{case.pk}/maintenance/new/")
    expect(page.get_by_text("from the agreed schedule “2-2-5-5”")).to_be_visible()
    page.get_by_label("Bob Jones").check()
    page.get_by_label("Paying parent's gross weekly income, in pounds").fill("650.123")
    page.get_by_label("Children of this case the estimate is for").fill("1")
    page.get_by_role("button", name="Work it out").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_contain_text("two decimals")
    figure = ""
    try:
        import accord.maintenance  # type: ignore[import-not-found,unused-ignore]  # noqa: F401

        page.get_by_label("Paying parent's gross weekly income, in pounds").fill("650.00")
        page.get_by_role("button", name="Work it out").click()
        expect(page.get_by_text("This is an estimate", exact=True)).to_be_visible()
        page.get_by_role("button", name="Record this as the agreed figure").click()
        figure = "Child maintenance"
    except ImportError:
        pass

    agree_item(service.mediator, case, "School-week routine", "Mon to Thu with Alice.")
    draft = outcomes.outcome_draft_create(actor=service.mediator, case=case, kind="parenting_plan")
    fields = content.as_fields("parenting_plan", draft.sections)
    fields["item_1_heading"] = "living_arrangements"
    draft = outcomes.outcome_draft_update(actor=service.mediator, draft=draft, fields=fields)
    draft = outcomes.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    assert draft.issued_version is not None
    with draft.issued_version.content.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Alice Smith and Bob Jones" in text and "Maya Smith (aged 11)" in text
    assert "School-week routine: Mon to Thu with Alice." in text
    assert "Overnights" in text and "2-2-5-5" in text
    if figure:
        assert figure in text
    word = DocumentVersion.objects.get(document__case=case, file_name__endswith=".docx")
    with word.content.open("rb") as handle:
        xml = zipfile.ZipFile(io.BytesIO(handle.read())).read("word/document.xml").decode()
    assert "Maya Smith" in xml and "School-week routine" in xml and "overnights" in xml
