"""The portal case page: "Action needed" and "Where your case is" follow the case's records."""

from __future__ import annotations

from django.urls import reverse

from accord.cases.models import Participant
from accord.testing import journey


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("portal:case", args=[case.pk])).content.decode()


def test_the_invited_party_is_asked_to_answer_and_the_stage_words_follow_the_answer(
    client, service
):
    case = service.case
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    invitation = journey.invite(service.coordinator, case, bob)
    bobs = _page(client, service.parties["bob"], case)
    assert "Action needed" in bobs and "Answer the invitation to mediation" in bobs
    assert "The service has invited you to try mediation" in bobs
    alices = _page(client, service.parties["alice"], case)
    assert "Answer the invitation" not in alices
    assert "asking the other person whether they are willing" in alices
    journey.answer_willing(invitation)
    alices = _page(client, service.parties["alice"], case)
    assert "asking the other person" not in alices
    assert "The other person has answered the invitation" in alices
    assert "Nothing for you to do right now" in alices


def test_a_party_is_asked_to_sign_and_told_of_their_own_miam_only(client, service):
    case = service.case
    alice = Participant.objects.get(case=case, full_name="Alice Smith")
    bob = Participant.objects.get(case=case, full_name="Bob Jones")
    journey.book_miam(service.coordinator, case, alice, service.mediator, days=3)
    alices = _page(client, service.parties["alice"], case)
    assert "Your MIAM is on" in alices
    assert "Your MIAM is on" not in _page(client, service.parties["bob"], case)
    journey.agreement_prepared(service.mediator, case)
    bobs = _page(client, service.parties["bob"], case)
    assert "Sign the Agreement to Mediate" in bobs
    assert bob.full_name in bobs


def test_a_civil_case_shows_no_miam_section(client, service):
    page = _page(client, service.parties["carol"], service.cases["civil"])
    assert "Where your case is" in page
    assert "Your MIAM" not in page and "miams-heading" not in page
