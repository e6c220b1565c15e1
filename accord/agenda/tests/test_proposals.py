"""Proposals on agenda items: making, answering, countering, relaying, and who sees what."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.agenda import proposals, selectors
from accord.agenda.models import AgendaProposal, AgendaProposalResponse, AgendaStatus
from accord.agenda.tests.helpers import agree, party, propose, snapshot
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.testing.factories import ready_for_sessions


def _texts(user, case) -> str:
    """Everything the user can read of the case's proposals, as one string."""
    rows = selectors.proposals_for(user=user, case=case)
    return " | ".join(r.text for rs in rows.values() for r in rs)


def test_a_counter_then_an_acceptance_becomes_the_agreed_wording(service):
    item = propose(service)
    first = proposals.agenda_proposal_make(
        actor=service.parties["alice"], item=item, text="Alternate weekends."
    )
    response = proposals.agenda_proposal_answer(
        actor=service.parties["bob"],
        proposal=first,
        answer="counter",
        counter_text="Alternate weekends, Friday 6pm to Sunday 6pm.",
    )
    counter = response.counter
    assert counter is not None and counter.counter_to_id == first.pk
    assert counter.party == party(service, "Bob Jones")
    proposals.agenda_proposal_answer(
        actor=service.parties["alice"], proposal=counter, answer="accept"
    )
    item.refresh_from_db()
    assert item.status == AgendaStatus.AGREED
    assert item.agreed_wording == "Alternate weekends, Friday 6pm to Sunday 6pm."
    rows = selectors.proposals_for(user=service.mediator, case=service.case)[item.pk]
    assert [r.proposal.pk for r in rows] == [first.pk, counter.pk]
    assert [a.answer for a in rows[0].answers] == ["counter"]
    assert rows[1].proposal.accepted_at is not None


def test_a_proposal_on_an_agreed_item_is_refused_and_nothing_is_saved(service):
    item = agree(service, propose(service))
    before = snapshot()
    with pytest.raises(ValidationFailed, match="already agreed"):
        proposals.agenda_proposal_make(
            actor=service.parties["bob"], item=item, text="Something else."
        )
    assert snapshot() == before
    assert not AgendaProposal.objects.exists()


def test_a_rejection_leaves_the_item_open_and_the_proposal_closed(service):
    item = propose(service)
    offer = proposals.agenda_proposal_make(
        actor=service.parties["alice"], item=item, text="Every weekend."
    )
    proposals.agenda_proposal_answer(actor=service.parties["bob"], proposal=offer, answer="reject")
    item.refresh_from_db()
    assert item.status == AgendaStatus.OPEN
    with pytest.raises(ValidationFailed, match="already answered"):
        proposals.agenda_proposal_answer(
            actor=service.parties["bob"], proposal=offer, answer="accept"
        )


def test_bad_answers_are_refused_with_a_reason_and_nothing_saved(service):
    item = propose(service)
    offer = proposals.agenda_proposal_make(actor=service.parties["alice"], item=item, text="X.")
    with pytest.raises(ValidationFailed) as own:
        proposals.agenda_proposal_answer(
            actor=service.parties["alice"], proposal=offer, answer="accept"
        )
    assert "own proposal" in str(own.value.field_errors)
    with pytest.raises(ValidationFailed) as counter:
        proposals.agenda_proposal_answer(
            actor=service.parties["bob"], proposal=offer, answer="counter", counter_text=" "
        )
    assert counter.value.field_errors["counter_text"] == ["Write your counter-proposal."]
    with pytest.raises(ValidationFailed) as odd:
        proposals.agenda_proposal_answer(
            actor=service.parties["bob"], proposal=offer, answer="maybe"
        )
    assert "answer" in odd.value.field_errors
    assert AgendaProposal.objects.count() == 1
    assert not AgendaProposalResponse.objects.exists()


def test_a_mediator_puts_a_proposal_for_a_party_only_with_permission(service):
    item = propose(service)
    alice = party(service)
    with pytest.raises(ValidationFailed) as refused:
        proposals.agenda_proposal_make(
            actor=service.mediator, item=item, text="Alternate weekends.", on_behalf_of=alice
        )
    assert "with_permission" in refused.value.field_errors
    made = proposals.agenda_proposal_make(
        actor=service.mediator,
        item=item,
        text="Alternate weekends.",
        on_behalf_of=alice,
        with_permission=True,
    )
    assert made.party == alice and made.by_mediator and made.with_permission
    with pytest.raises(NotPermitted):
        proposals.agenda_proposal_make(
            actor=service.coordinator,
            item=item,
            text="X.",
            on_behalf_of=alice,
            with_permission=True,
        )


def test_in_shuttle_a_proposal_reaches_the_other_party_only_once_relayed(service):
    ready_for_sessions(service.case, route="shuttle")
    item = propose(service)
    offer = proposals.agenda_proposal_make(
        actor=service.parties["alice"], item=item, text="PRIVATE-ALICE-WORDS"
    )
    assert offer.shuttle
    assert "PRIVATE-ALICE-WORDS" not in _texts(service.parties["bob"], service.case)
    with pytest.raises(NotFoundOrHidden):
        proposals.agenda_proposal_answer(
            actor=service.parties["bob"], proposal=offer, answer="accept"
        )
    with pytest.raises(NotPermitted):
        proposals.agenda_proposal_relay(actor=service.parties["alice"], proposal=offer, text="x")
    proposals.agenda_proposal_relay(
        actor=service.mediator, proposal=offer, text="Alice suggests alternate weekends."
    )
    bob_sees = _texts(service.parties["bob"], service.case)
    assert "Alice suggests alternate weekends." in bob_sees
    assert "PRIVATE-ALICE-WORDS" not in bob_sees
    answer = proposals.agenda_proposal_answer(
        actor=service.parties["bob"], proposal=offer, answer="reject"
    )
    alice_rows = selectors.proposals_for(user=service.parties["alice"], case=service.case)
    assert alice_rows[item.pk][0].answers == []
    proposals.agenda_proposal_answer_relay(actor=service.mediator, response=answer)
    alice_rows = selectors.proposals_for(user=service.parties["alice"], case=service.case)
    assert [a.answer for a in alice_rows[item.pk][0].answers] == ["reject"]


def test_an_accepted_shuttle_proposal_agrees_the_relayed_words(service):
    ready_for_sessions(service.case, route="shuttle")
    item = propose(service)
    offer = proposals.agenda_proposal_make(
        actor=service.parties["alice"], item=item, text="raw words"
    )
    proposals.agenda_proposal_relay(actor=service.mediator, proposal=offer, text="Agreed words.")
    proposals.agenda_proposal_answer(actor=service.parties["bob"], proposal=offer, answer="accept")
    item.refresh_from_db()
    assert item.status == AgendaStatus.AGREED and item.agreed_wording == "Agreed words."


def test_a_relay_in_a_joint_case_is_refused(service):
    item = propose(service)
    offer = proposals.agenda_proposal_make(actor=service.parties["alice"], item=item, text="X.")
    with pytest.raises(ValidationFailed, match="shuttle mediation"):
        proposals.agenda_proposal_relay(actor=service.mediator, proposal=offer, text="X.")


def test_a_party_of_another_case_cannot_see_or_answer(service):
    item = propose(service)
    offer = proposals.agenda_proposal_make(actor=service.parties["alice"], item=item, text="X.")
    carol = service.parties["carol"]
    with pytest.raises(NotFoundOrHidden):
        proposals.agenda_proposal_answer(actor=carol, proposal=offer, answer="accept")
    with pytest.raises(NotFoundOrHidden):
        selectors.proposals_for(user=carol, case=service.case)


MOVES = st.lists(
    st.sampled_from(["alice", "bob", "mediator_for_alice", "relay", "answer"]),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db(transaction=False)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=MOVES, shuttle=st.booleans())
def test_no_party_ever_reads_an_unrelayed_shuttle_proposal_of_the_other(service, moves, shuttle):
    """Random proposals, relays and answers: each party's view matches the rule after each step."""
    from django.db import transaction

    with transaction.atomic():
        ready_for_sessions(service.case, route="shuttle" if shuttle else "joint")
        item = propose(service, title=f"Item {len(moves)}")
        alice, bob = party(service), party(service, "Bob Jones")
        for number, move in enumerate(moves):
            marker = f"MARK-{number}"
            try:
                if move in ("alice", "bob"):
                    proposals.agenda_proposal_make(
                        actor=service.parties[move], item=item, text=marker
                    )
                elif move == "mediator_for_alice":
                    proposals.agenda_proposal_make(
                        actor=service.mediator,
                        item=item,
                        text=marker,
                        on_behalf_of=alice,
                        with_permission=True,
                    )
                else:
                    target = AgendaProposal.objects.filter(item=item).order_by("-id").first()
                    if target is None:
                        continue
                    if move == "relay":
                        proposals.agenda_proposal_relay(
                            actor=service.mediator, proposal=target, text=f"RELAYED-{number}"
                        )
                    else:
                        answerer = "bob" if target.party_id == alice.pk else "alice"
                        proposals.agenda_proposal_answer(
                            actor=service.parties[answerer], proposal=target, answer="reject"
                        )
            except (ValidationFailed, NotFoundOrHidden):
                pass
            for me, who in ((alice, "alice"), (bob, "bob")):
                seen = _texts(service.parties[who], service.case)
                for proposal in AgendaProposal.objects.filter(item=item):
                    mine = proposal.party_id == me.pk
                    if mine or not proposal.shuttle:
                        assert proposal.text in seen
                    else:
                        assert proposal.text not in seen
                        if proposal.relayed_at is not None:
                            assert proposal.relayed_text in seen
        transaction.set_rollback(True)
