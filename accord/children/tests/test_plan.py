"""The issued parenting plan: headings the mediator chose, names, ages, schedule, Word copy."""

from __future__ import annotations

import io
import zipfile

import pytest

from accord.children import schedules, services
from accord.children.tests.conftest import born_years_ago
from accord.documents.models import DocumentVersion
from accord.documents.tests.pdftext import pdf_text
from accord.outcomes import content
from accord.outcomes import services as outcomes
from accord.outcomes.tests.helpers import family_agreed

pytestmark = pytest.mark.django_db


def test_the_issued_plan_carries_the_mediators_headings_names_and_schedule(service, family):
    family_agreed(service)
    services.child_add(
        actor=service.coordinator,
        case=family,
        full_name="Maya Smith",
        date_of_birth=born_years_ago(12),
    )
    from django.utils import timezone

    schedule = schedules.schedule_save(
        actor=service.mediator,
        case=family,
        name="2-2-5-5 with Christmas",
        pattern="2-2-5-5",
        anchor=timezone.localdate(),
    )
    schedules.schedule_agree(actor=service.mediator, schedule=schedule)
    draft = outcomes.outcome_draft_create(
        actor=service.mediator, case=family, kind="parenting_plan"
    )
    fields = content.as_fields("parenting_plan", draft.sections)
    assert fields["item_1_heading"] == "living_arrangements"  # the suggestion
    fields["item_1_heading"] = "handovers"  # the mediator's choice
    fields["empty_headings"] = content.OMIT
    draft = outcomes.outcome_draft_update(actor=service.mediator, draft=draft, fields=fields)
    draft = outcomes.outcome_issue(actor=service.mediator, draft=draft, confirm=True)
    assert draft.issued_version is not None
    with draft.issued_version.content.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Handovers Weekends: Alternate weekends" in text
    assert "Religion" not in text and "To discuss" not in text
    assert "Maya Smith (aged 12)" in text and "Alice Smith and Bob Jones" in text
    assert "not legally binding" in text and "consent order" in text
    # The agreed schedule keeps its heading although no item is filed under it.
    assert "Living arrangements and time with each parent and family The agreed schedule" in text
    assert "2-2-5-5 with Christmas" in text and "Overnights" in text
    word = DocumentVersion.objects.get(document__case=family, file_name__endswith=".docx")
    with word.content.open("rb") as handle:
        xml = zipfile.ZipFile(io.BytesIO(handle.read())).read("word/document.xml").decode()
    assert "Maya Smith" in xml and "Handovers" in xml and "Alternate weekends" in xml


def test_the_draft_plan_page_shows_the_chosen_headings(service, family):
    """The outcome page previews a parenting plan by its blocks (it used to fail on them)."""
    from django.test import Client
    from django.urls import reverse

    from accord.testing.journey import agree_item

    agree_item(service.mediator, family, "School-week routine", "Mon to Thu with Alice.")
    draft = outcomes.outcome_draft_create(
        actor=service.mediator, case=family, kind="parenting_plan"
    )
    fields = content.as_fields("parenting_plan", draft.sections)
    fields["item_1_heading"] = "living_arrangements"
    outcomes.outcome_draft_update(actor=service.mediator, draft=draft, fields=fields)
    client = Client()
    client.force_login(service.mediator)
    page = client.get(reverse("outcomes:detail", args=[family.pk, draft.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    living = text.index("Living arrangements and time with each parent and family")
    assert text.index("School-week routine: Mon to Thu with Alice.") > living
    assert "To discuss." in text
