"""Agenda services: who may change what, the lifecycle with its history, and refusals."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accord.agenda import selectors, services
from accord.agenda.models import AgendaItemEvent, AgendaOption, AgendaStatus
from accord.agenda.tests.helpers import agree, move, party, propose, snapshot
from accord.audit.models import AuditEvent
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.safeguarding.services import CasePaused

pytestmark = pytest.mark.django_db


def test_a_party_proposes_a_topic_that_joins_the_end_of_the_agenda(service):
    first = propose(service)
    second = propose(service, service.parties["bob"], title="Money", topic="finances")
    assert (first.position, second.position) == (1, 2)
    assert first.proposed_by_participant == party(service)
    assert first.touches_children is True and second.touches_children is False
    assert second.proposer_name == "Bob Jones"
    event = AgendaItemEvent.objects.get(item=first)
    assert (event.from_status, event.to_status) == ("", "open")
    audits = list(AuditEvent.objects.filter(action="agenda.item_proposed"))
    assert len(audits) == 2
    assert not any("Weekends" in str(a.details) or "Alternate" in str(a.details) for a in audits)


def test_a_mediator_may_add_a_topic_but_a_coordinator_may_not(service):
    item = propose(service, service.mediator, title="Holidays")
    assert item.proposed_by_user == service.mediator and item.proposer_name == "The mediator"
    before = snapshot()
    with pytest.raises(NotPermitted):
        propose(service, service.coordinator)
    assert snapshot() == before


def test_a_party_of_another_case_and_another_service_cannot_reach_the_agenda(
    service, other_service
):
    before = snapshot()
    for stranger in (service.parties["carol"], other_service.mediator):
        with pytest.raises(NotFoundOrHidden):
            propose(service, stranger)
    item = propose(service)
    before = snapshot()
    with pytest.raises(NotFoundOrHidden):
        services.agenda_option_add(actor=service.parties["carol"], item=item, text="x")
    with pytest.raises(NotFoundOrHidden):
        selectors.agenda_for(user=other_service.admin, case=service.case)
    assert snapshot() == before


def test_bad_input_names_each_field_and_saves_nothing(service):
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        propose(service, title=" ", topic="pets", issue="")
    assert set(exc.value.field_errors) == {"title", "topic", "issue"}
    assert snapshot() == before


def test_the_lifecycle_keeps_history_and_agreed_wording(service):
    item = agree(service, propose(service))
    assert item.status == AgendaStatus.AGREED
    assert item.agreed_wording == "Alternate weekends, Friday to Sunday."
    assert [e.to_status for e in item.events.all()] == [
        "open",
        "exploring",
        "options",
        "proposal",
        "agreed",
    ]
    assert selectors.agreed_items(service.case) == [item]


def test_agreeing_without_wording_and_skipping_steps_are_refused(service):
    item = move(service, propose(service), "exploring", "options", "proposal")
    fresh = propose(service, title="Fresh")
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.agenda_item_change_status(actor=service.mediator, item=item, to_status="agreed")
    assert "agreed_wording" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        move(service, fresh, "agreed", wording="x")
    assert "to_status" in exc.value.field_errors
    assert snapshot() == before


def test_reopening_an_agreed_item_needs_a_reason_and_keeps_the_old_wording(service):
    item = agree(service, propose(service))
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.agenda_item_change_status(actor=service.mediator, item=item, to_status="exploring")
    assert exc.value.field_errors == {"note": ["Give the reason for reopening an agreed item."]}
    assert snapshot() == before
    item = services.agenda_item_change_status(
        actor=service.mediator, item=item, to_status="exploring", note="School terms changed"
    )
    assert item.agreed_wording == "" and item.agreed_at is None
    assert selectors.agreed_items(service.case) == []
    agreed = item.events.get(to_status="agreed")
    assert agreed.wording == "Alternate weekends, Friday to Sunday."
    assert item.events.order_by("-id")[0].note == "School terms changed"


def test_only_the_case_mediators_move_items(service):
    item = propose(service)
    before = snapshot()
    for who in (service.parties["alice"], service.coordinator, service.supervisor):
        with pytest.raises(NotPermitted):
            services.agenda_item_change_status(actor=who, item=item, to_status="exploring")
        with pytest.raises(NotPermitted):
            services.agenda_item_reorder(actor=who, item=item, direction="down")
    assert snapshot() == before


def test_the_mediator_orders_the_agenda(service):
    first, _second, third = (propose(service, title=t) for t in ("A", "B", "C"))
    services.agenda_item_reorder(actor=service.mediator, item=third, direction="up")
    order = [i.title for i in selectors.agenda_for(user=service.mediator, case=service.case).items]
    assert order == ["A", "C", "B"]
    services.agenda_item_reorder(actor=service.mediator, item=first, direction="up")
    assert [
        i.title for i in selectors.agenda_for(user=service.mediator, case=service.case).items
    ] == order


def test_a_mediator_idea_needs_the_parties_permission(service):
    item = move(service, propose(service), "exploring")
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        services.agenda_option_add(actor=service.mediator, item=item, text="Try a rota")
    assert "with_permission" in exc.value.field_errors
    assert snapshot() == before
    idea = services.agenda_option_add(
        actor=service.mediator, item=item, text="Try a rota", with_permission=True
    )
    mine = services.agenda_option_add(actor=service.parties["bob"], item=item, text="Every other")
    assert (idea.mediator_idea, idea.with_permission, idea.proposed_by_user) == (
        True,
        True,
        service.mediator,
    )
    assert (mine.mediator_idea, mine.proposed_by_participant) == (
        False,
        party(service, "Bob Jones"),
    )


def test_options_are_refused_on_a_settled_item(service):
    item = agree(service, propose(service))
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.agenda_option_add(actor=service.parties["bob"], item=item, text="Late idea")
    assert snapshot() == before
    assert not AgendaOption.objects.exists()


def test_each_party_sets_their_own_priority_and_sees_only_their_own(service):
    item = propose(service)
    services.agenda_priority_set(actor=service.parties["alice"], item=item, priority=5)
    services.agenda_priority_set(actor=service.parties["alice"], item=item, priority=4)
    services.agenda_priority_set(actor=service.parties["bob"], item=item, priority=2)
    alice_view = selectors.agenda_for(user=service.parties["alice"], case=service.case)
    assert alice_view.own_priorities == {item.pk: 4}
    assert alice_view.is_staff_view is False
    staff_view = selectors.agenda_for(user=service.mediator, case=service.case)
    assert sorted(p.priority for p in staff_view.items[0].priorities.all()) == [2, 4]
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.agenda_priority_set(actor=service.parties["bob"], item=item, priority=9)
    with pytest.raises(NotPermitted):
        services.agenda_priority_set(actor=service.mediator, item=item, priority=3)
    assert snapshot() == before


def test_nothing_changes_while_the_case_is_paused_or_closed(service):
    item = propose(service)
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    before = snapshot()
    with pytest.raises(CasePaused):
        propose(service)
    with pytest.raises(CasePaused):
        services.agenda_option_add(actor=service.parties["bob"], item=item, text="x")
    with pytest.raises(CasePaused):
        services.agenda_priority_set(actor=service.parties["bob"], item=item, priority=3)
    with pytest.raises(CasePaused):
        services.agenda_item_change_status(actor=service.mediator, item=item, to_status="exploring")
    Case.objects.filter(pk=service.case.pk).update(is_paused=False, stage="closed")
    with pytest.raises(ValidationFailed):
        propose(service)
    assert snapshot() == before


def test_the_mediator_marks_an_item_as_about_the_children(service):
    item = propose(service, title="Schooling", topic="other")
    assert item.touches_children is False
    item = services.agenda_item_mark_children(
        actor=service.mediator, item=item, touches_children=True
    )
    assert item.touches_children is True
    weekends = propose(service)
    before = snapshot()
    with pytest.raises(ValidationFailed):
        services.agenda_item_mark_children(
            actor=service.mediator, item=weekends, touches_children=False
        )
    with pytest.raises(NotPermitted):
        services.agenda_item_mark_children(
            actor=service.parties["alice"], item=item, touches_children=False
        )
    assert snapshot() == before


def test_nothing_changes_while_the_mediation_is_paused_or_ended(service):
    from accord.mediation.models import MediationState, MediationStatus

    item = propose(service)
    status = MediationStatus.objects.create(
        organisation=service.organisation, case=service.case, state=MediationState.PAUSED
    )
    before = snapshot()
    with pytest.raises(ValidationFailed) as exc:
        propose(service)
    assert exc.value.message.startswith("The mediation is paused")
    MediationStatus.objects.filter(pk=status.pk).update(
        state=MediationState.ENDED, end_reason="agreement", ended_at=timezone.now()
    )
    with pytest.raises(ValidationFailed) as exc:
        services.agenda_option_add(actor=service.parties["bob"], item=item, text="x")
    assert exc.value.message.startswith("The mediation has ended")
    view = selectors.agenda_for(user=service.parties["bob"], case=service.case)
    assert view.can_contribute is False and view.stopped == "The mediation has ended"
    assert snapshot() == before


def test_deleting_a_whole_case_removes_its_agenda_but_a_proposer_cannot_be_removed_alone(service):
    from django.db.models import RestrictedError

    item = propose(service)
    services.agenda_option_add(actor=service.parties["bob"], item=item, text="An option")
    with pytest.raises(RestrictedError):
        party(service).delete()
    service.case.delete()
    assert not AgendaOption.objects.exists()
