"""The demo's finance story is a true one: Patel / Evans reaches a session before any disclosure,
and the parties' portal says where the disclosure has got to."""

from __future__ import annotations

import pytest

from accord.cases.models import Case
from accord.demo.data import demo_load
from accord.finance.models import Disclosure, DisclosureItem, Rating, Scenario

pytestmark = pytest.mark.django_db


def test_the_finance_story_follows_a_session_and_the_portal_mentions_disclosure() -> None:
    from accord.agreements.gate import current_agreement_packet
    from accord.mediation.models import MediationSession
    from accord.meetings.models import SuitabilityDecision
    from accord.portal.views import PortalCase

    demo_load()
    case = Case.objects.get(title="Patel / Evans")
    assert case.kind == "family_all" and case.stage == "mediation"
    decision = SuitabilityDecision.objects.get(case=case)
    packet = current_agreement_packet(case)
    assert packet is not None and packet.signatures.count() == 2
    session = MediationSession.objects.get(case=case, number=1)
    assert session.ended_at is not None
    first_item = DisclosureItem.objects.filter(disclosure__case=case).order_by("created_at")[0]
    assert decision.decided_at < session.ended_at <= first_item.created_at
    assert Disclosure.objects.filter(case=case, shared_at__isnull=False).count() == 2
    assert Rating.objects.filter(case=case).values("participant").distinct().count() == 2
    aw = Scenario.objects.get(case=case, title="Adjusted Winner suggestion")
    assert aw.allocations
    # The old finance case is still waiting for its MIAMs, with no finance work on it.
    assert not Disclosure.objects.filter(case__title="Okafor / Okafor").exists()

    nisha = case.participants.get(full_name="Nisha Patel")
    words = PortalCase.of(case, [nisha]).stage_words
    assert "You shared your financial disclosure on" in words
    assert "the other person has shared theirs too" in words
