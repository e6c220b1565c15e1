"""Issue 15, item 5: an outcome's PDF is rendered before the short transaction that stores it,
and an outcome that changes while it renders is rendered again (or refused, nothing saved)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.errors import ValidationFailed
from accord.documents import rendering
from accord.documents.tests.render_spy import spy_on_renders
from accord.outcomes import services
from accord.outcomes.models import OutcomeDraft, OutcomeStatus
from accord.outcomes.tests.helpers import family_agreed, snapshot
from accord.outcomes.tests.test_services import _pdf


def _edit_wording(draft: OutcomeDraft, wording: str) -> None:
    """Someone else edits the draft (a direct write, as another request would make)."""
    sections = dict(OutcomeDraft.objects.get(pk=draft.pk).sections)
    sections["items"] = [{**sections["items"][0], "wording": wording}, *sections["items"][1:]]
    OutcomeDraft.objects.filter(pk=draft.pk).update(sections=sections)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_rendered_outside_any_transaction(service: Any, monkeypatch: Any) -> None:
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    seen = spy_on_renders(monkeypatch)

    issued = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)

    assert issued.status == OutcomeStatus.ISSUED
    assert seen == [False]


def test_a_draft_edited_while_it_renders_is_rendered_again(service: Any, monkeypatch: Any) -> None:
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    real = rendering.html_to_pdf
    calls: list[int] = []

    def edit_during_first_render(html: str, **kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            _edit_wording(draft, "Every other weekend, collected from school.")
        return real(html, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf", edit_during_first_render)

    issued = services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)

    assert len(calls) == 2
    text = _pdf(issued)
    assert "Every other weekend, collected from school." in text
    assert "Alternate weekends, Friday 5pm" not in text
    assert issued.issued_version is not None
    assert issued.issued_version.number == 1  # the first render was discarded, not stored


def test_a_draft_that_keeps_changing_is_refused_with_nothing_saved(
    service: Any, monkeypatch: Any
) -> None:
    family_agreed(service)
    draft = services.outcome_draft_create(actor=service.mediator, case=service.case, kind="mou")
    before = snapshot()
    real = rendering.html_to_pdf
    calls: list[int] = []

    def edit_every_time(html: str, **kwargs: Any) -> bytes:
        calls.append(1)
        _edit_wording(draft, f"Wording number {len(calls)}.")
        return real(html, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf", edit_every_time)

    with pytest.raises(ValidationFailed, match="kept changing"):
        services.outcome_issue(actor=service.mediator, draft=draft, confirm=True)

    assert len(calls) == 3
    after = snapshot()
    # The other writer's edits stand; nothing of the issue does: no version, share or event.
    assert (after["versions"], after["shares"], after["audit"]) == (
        before["versions"],
        before["shares"],
        before["audit"],
    )
    assert OutcomeDraft.objects.get(pk=draft.pk).status == OutcomeStatus.DRAFT
