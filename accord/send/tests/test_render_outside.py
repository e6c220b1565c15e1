"""Issue 15, item 5: the Mediation Outcome and the mediation certificate are rendered before the
short transaction that stores them; what they say changing meanwhile has them rendered again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from accord.documents.tests.pdftext import pdf_text
from accord.documents.tests.render_spy import spy_on_renders
from accord.send import services
from accord.send.models import SendRecord
from accord.send.tests.helpers import preliminary, send_case


def _text(version: Any) -> str:
    with version.content.open("rb") as handle:
        return " ".join(pdf_text(handle.read()).split())


def _met(service: Any) -> Any:
    """A SEND case whose meeting has been held, with one agreed action."""
    story = send_case(service)
    preliminary(service, story, issues=["education"])
    with transaction.atomic():  # as the session-ended hook runs it, inside mediation's
        services.meeting_ended(service.mediator, story.case, timezone.now())
    services.send_action_add(
        actor=service.mediator,
        case=story.case,
        description="Arrange a visit to Oakfield High.",
        owner="la",
        timescale="send.la_action_not_tribunal",
    )
    return story


@pytest.mark.django_db(transaction=True)
def test_the_outcome_and_the_certificate_are_rendered_outside_any_transaction(
    service: Any, monkeypatch: Any
) -> None:
    story = _met(service)
    seen = spy_on_renders(monkeypatch)

    record = services.send_outcome_issue(actor=service.mediator, case=story.case, agreement="part")
    certificate = services.send_certificate_issue(actor=service.mediator, case=story.case)

    assert seen == [False, False]
    assert record.outcome_version is not None
    assert "Arrange a visit to Oakfield High." in _text(record.outcome_version)
    assert certificate.kind == "after_mediation"
    assert f"{certificate.appeal_deadline:%-d %B %Y}" in _text(certificate.version)


@pytest.mark.django_db
def test_an_action_added_while_the_outcome_renders_is_in_it(service: Any, monkeypatch: Any) -> None:
    story = _met(service)

    def another_action(n: int) -> None:
        if n == 1:
            services.send_action_add(
                actor=service.mediator,
                case=story.case,
                description="Send the amended plan to the school.",
                owner="la",
                timescale="send.la_action_not_tribunal",
            )

    seen = spy_on_renders(monkeypatch, another_action)

    record = services.send_outcome_issue(actor=service.mediator, case=story.case, agreement="part")

    assert len(seen) == 2
    assert record.outcome_version is not None and record.outcome_version.number == 1
    assert "Send the amended plan to the school." in _text(record.outcome_version)


@pytest.mark.django_db
def test_a_record_corrected_while_the_certificate_renders_is_rendered_again(
    service: Any, monkeypatch: Any
) -> None:
    story = send_case(service)
    preliminary(service, story, issues=["education"])
    services.send_choice_record(actor=service.coordinator, case=story.case, wants_mediation=False)

    def correct_the_authority(n: int) -> None:
        if n == 1:
            SendRecord.objects.filter(case=story.case).update(commissioning_la="Bradford Council")

    seen = spy_on_renders(monkeypatch, correct_the_authority)

    certificate = services.send_certificate_issue(actor=service.coordinator, case=story.case)

    assert len(seen) == 2
    assert "Bradford Council" in _text(certificate.version)
