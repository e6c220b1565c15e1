"""The SEND part's wiring: its kinds, its timeline sentences, the outcome's order."""

from __future__ import annotations

import pathlib
import re

import pytest

from accord.cases import kinds
from accord.cases.timeline import _ACTIONS
from accord.core.errors import ValidationFailed
from accord.send import services
from accord.send.tests.helpers import preliminary, send_case


def test_the_send_part_applies_to_send_cases_only():
    assert kinds.applies("send", "send")
    for kind in ("family_children", "civil", "workplace", "community"):
        assert not kinds.applies(kind, "send")
    assert not kinds.applies("send", "miam")


def test_every_send_audit_action_has_a_timeline_sentence():
    root = pathlib.Path(__file__).resolve().parents[1]
    found = set()
    for path in root.glob("*.py"):
        found.update(re.findall(r'"(send\.[a-z_]+)"', path.read_text()))
    actions = {a for a in found if not a.startswith(("send.la_", "send.appeal"))}
    actions -= {
        "send.certificate_no_mediation",
        "send.certificate_not_arranged",
        "send.certificate_after_mediation",
        "send.mediation_advice_contact",
        "send.arrange_mediation",
        "send.health_notify",
        "send.outcome_service_standard",
        "send.notice_of_meeting",
        "send.la_action_agreed",
    }
    assert actions, "no audit actions found"
    missing = {a for a in actions if a not in _ACTIONS or _ACTIONS[a].sentence is None}
    assert not missing


@pytest.mark.django_db
def test_the_outcome_follows_the_meeting(service):
    story = send_case(service)
    preliminary(service, story)
    with pytest.raises(ValidationFailed, match="follows the meeting"):
        services.send_outcome_issue(actor=service.mediator, case=story.case, agreement="none")
    with pytest.raises(ValidationFailed, match="follows the meeting"):
        services.send_certificate_issue(actor=service.mediator, case=story.case)
