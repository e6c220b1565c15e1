"""The willingness services: inviting, answering, superseding, lapsing, logging contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.deadlines.models import Deadline, DeadlineRule, OutboundEmail
from accord.deadlines.services import deadline_rule_add_for_service
from accord.documents.tests.pdftext import pdf_text
from accord.willingness import codes, services
from accord.willingness.models import (
    ContactAttempt,
    WillingnessAnswer,
    WillingnessInvitation,
)
from accord.willingness.selectors import willingness_state
from accord.willingness.tests.helpers import enquiry_says_not_safe, invite, overdue, party

pytestmark = pytest.mark.django_db


def _state() -> dict[str, int]:
    return {
        "invitations": WillingnessInvitation.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "deadlines": Deadline.objects.count(),
        "audit": AuditEvent.objects.count(),
        "attempts": ContactAttempt.objects.count(),
        "answers": WillingnessAnswer.objects.count(),
    }


def _deadline_status(invitation: WillingnessInvitation) -> str:
    assert invitation.deadline_id is not None
    return Deadline.objects.get(pk=invitation.deadline_id).status


@pytest.fixture
def fixed_code(monkeypatch):
    """A known code for letters: the test PDF reader cannot decode some random glyph sets."""
    monkeypatch.setattr(codes, "new_code", lambda: "ABCD2345EFGH6789JKMN")
    return "ABCD2345EFGH6789JKMN"


def _letter_text(invitation: WillingnessInvitation) -> str:
    assert invitation.letter is not None
    return pdf_text(invitation.letter.content.open("rb").read())


def test_the_national_rule_gives_fourteen_calendar_days():
    rule = DeadlineRule.objects.get(code="willingness.response", organisation=None)
    assert (rule.period, rule.unit) == (14, "calendar_days")
    assert "configurable" in rule.source


def test_an_email_invitation_sends_a_link_and_nothing_private(service):
    invitation = invite(service)
    assert invitation.status == "invited"
    assert invitation.secret_hash == codes.code_hash(invitation.secret)
    assert invitation.secret not in str(WillingnessInvitation.objects.values().get())
    email = OutboundEmail.objects.get()
    assert email.to_email == "bob@riverside.example"
    assert f"https://accord.example/respond/{invitation.secret}/" in email.body
    assert "Riverside Family Mediation" in email.body
    for private in ("Alice", "Smith", "Hidden Lane", "Jones", service.case.reference):
        assert private not in email.body and private not in email.subject
    assert invitation.respond_by == timezone.localdate() + dt.timedelta(days=14)
    deadline = Deadline.objects.get(rule_code="willingness.response")
    assert deadline.concerns_participant_id == party(service).pk
    assert invitation.deadline_id == deadline.pk
    assert AuditEvent.objects.filter(action="willingness.invited").count() == 1
    logged = ContactAttempt.objects.get()
    assert (logged.method, logged.by, logged.outcome) == (
        "email",
        service.coordinator,
        "Invitation email queued.",
    )


def test_a_service_sets_its_own_response_period_with_its_own_rule_row(service):
    deadline_rule_add_for_service(
        actor=service.admin,
        organisation=service.organisation,
        code="willingness.response",
        period=7,
        unit="calendar_days",
        effective_from=dt.date(2020, 1, 1),
        source="Our policy, 2026",
    )
    invitation = invite(service)
    assert invitation.respond_by == timezone.localdate() + dt.timedelta(days=7)


def test_a_letter_pdf_has_the_letterhead_the_code_and_the_link(service, fixed_code):
    service.organisation.phone = "0113 496 0000"
    service.organisation.save(update_fields=["phone"])
    invitation = invite(service, channel="letter")
    assert OutboundEmail.objects.count() == 0
    text = _letter_text(invitation)
    assert "Riverside Family Mediation" in text
    assert "0113 496 0000" in text
    assert invitation.secret == fixed_code
    assert "ABCD-2345-EFGH-6789-JKMN" in text
    assert "https://accord.example/respond/ABCD2345EFGH6789JKMN/" in text
    assert "https://accord.example/respond/" in text
    assert "Bob Jones" in text and "2 Open Road" in text
    assert "Alice" not in text and "Hidden Lane" not in text


def test_a_letter_to_someone_with_a_confidential_address_leaves_the_address_out(
    service, fixed_code
):
    alice = party(service, "Alice Smith")
    invitation = invite(service, channel="letter", participant=alice)
    text = _letter_text(invitation)
    assert "Alice Smith" in text and "Hidden Lane" not in text


def test_email_is_refused_without_an_address_or_when_email_is_not_safe(service):
    bob = party(service)
    Participant.objects.filter(pk=bob.pk).update(email="")
    before = _state()
    with pytest.raises(ValidationFailed) as no_email:
        invite(service)
    assert "no email address" in no_email.value.field_errors["channel"][0]
    Participant.objects.filter(pk=bob.pk).update(
        email="bob@riverside.example", safe_contact_methods=["phone", "post"]
    )
    with pytest.raises(ValidationFailed) as unsafe:
        invite(service)
    assert "not a safe way" in unsafe.value.field_errors["channel"][0]
    assert _state() == before
    assert invite(service, channel="letter").channel == "letter"


def test_not_safe_to_contact_needs_an_override_reason_which_is_audited(service):
    enquiry_says_not_safe(service, party(service))
    before = _state()
    with pytest.raises(ValidationFailed) as refused:
        invite(service)
    assert "not safe to contact" in refused.value.field_errors["override_reason"][0]
    assert _state() == before
    invitation = invite(service, override_reason="Bob's solicitor asked us to write to him.")
    assert invitation.override_reason == "Bob's solicitor asked us to write to him."
    event = AuditEvent.objects.get(action="willingness.invited")
    assert event.details["not_safe_to_contact_override"] is True
    assert event.details["override_reason"] == "Bob's solicitor asked us to write to him."


def test_staff_who_may_only_look_or_cannot_see_are_refused_and_nothing_changes(
    service, other_service
):
    before = _state()
    with pytest.raises(NotPermitted):
        invite(service, actor=service.supervisor)
    with pytest.raises(NotFoundOrHidden):
        invite(service, actor=service.mediator2)
    with pytest.raises(NotFoundOrHidden):
        invite(service, actor=other_service.coordinator)
    with pytest.raises(NotFoundOrHidden):
        invite(service, actor=service.parties["alice"])
    assert _state() == before


@pytest.mark.parametrize(
    ("answer", "text", "status"),
    [
        ("willing", "", "willing"),
        ("not_willing", "I do not want to be in a room with them.", "not_willing"),
        ("info_requested", "How much does it cost?", "info_requested"),
    ],
)
def test_the_invited_person_answers_each_way(service, answer, text, status):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer=answer, text=text, ip="1.2.3.4")
    invitation.refresh_from_db()
    assert invitation.status == status and invitation.answered_at is not None
    saved = WillingnessAnswer.objects.get(invitation=invitation)
    assert saved.text == text and saved.ip_hash and "1.2.3.4" not in saved.ip_hash
    assert _deadline_status(invitation) == "met"
    event = AuditEvent.objects.get(action="willingness.answered")
    assert event.details == {"invitation_id": invitation.pk, "answer": answer}
    engaging = AuditEvent.objects.filter(action="willingness.not_engaging").count()
    assert engaging == (1 if answer == "not_willing" else 0)
    assert willingness_state(service.case).not_engaging is (answer == "not_willing")


def test_the_inviter_and_the_lead_mediator_are_told_an_answer_arrived_but_not_what_it_says(
    service,
):
    invitation = invite(service)
    reasons = "I do not want to be in a room with them."
    services.willingness_answer(secret=invitation.secret, answer="not_willing", text=reasons)
    told = OutboundEmail.objects.filter(subject__startswith="An answer has arrived")
    assert {email.to_email for email in told} == {
        service.coordinator.email,
        service.mediator.email,
    }
    for email in told:
        assert service.case.reference in email.body
        assert reasons not in email.body and "not willing" not in email.body.lower()


def test_reasons_and_questions_are_required_and_nothing_is_saved_without_them(service):
    invitation = invite(service)
    before = _state()
    for answer in ("not_willing", "info_requested"):
        with pytest.raises(ValidationFailed) as refused:
            services.willingness_answer(secret=invitation.secret, answer=answer, text="  ")
        assert "text" in refused.value.field_errors
    with pytest.raises(ValidationFailed) as bad:
        services.willingness_answer(secret=invitation.secret, answer="maybe", text="")
    assert "answer" in bad.value.field_errors
    assert _state() == before
    assert not WillingnessAnswer.objects.exists()


def test_a_link_answers_once_only(service):
    invitation = invite(service)
    services.willingness_answer(secret=invitation.secret, answer="willing", text="")
    with pytest.raises(services.LinkClosed) as again:
        services.willingness_answer(secret=invitation.secret, answer="not_willing", text="No")
    assert again.value.reason == "answered"
    assert WillingnessAnswer.objects.count() == 1


def test_a_typed_code_is_forgiving_about_case_and_hyphens(service):
    invitation = invite(service, channel="letter")
    typed = codes.grouped(invitation.secret).lower()
    services.willingness_answer(secret=f" {typed} ", answer="willing", text="")
    assert WillingnessInvitation.objects.get(pk=invitation.pk).status == "willing"


def test_an_unknown_code_opens_nothing(service):
    invite(service)
    with pytest.raises(NotFoundOrHidden):
        services.willingness_answer(secret=codes.new_code(), answer="willing", text="")
    with pytest.raises(NotFoundOrHidden):
        services.willingness_answer(secret="not-a-code", answer="willing", text="")


def test_a_second_invitation_supersedes_the_first_and_its_link_stops_working(service):
    first = invite(service)
    second = invite(service, channel="letter")
    first.refresh_from_db()
    assert first.status == "withdrawn" and first.superseded_by_id == second.pk
    assert _deadline_status(first) == "waived"
    with pytest.raises(services.LinkClosed) as closed:
        services.willingness_answer(secret=first.secret, answer="willing", text="")
    assert closed.value.reason == "expired"
    services.willingness_answer(secret=second.secret, answer="willing", text="")


def test_an_expired_link_is_refused_kindly(service):
    invitation = invite(service)
    overdue(invitation)
    with pytest.raises(services.LinkClosed) as closed:
        services.willingness_answer(secret=invitation.secret, answer="willing", text="")
    assert closed.value.reason == "expired"
    assert "contact the service" in closed.value.message


def test_the_lapse_sweep_lapses_once_however_often_it_runs(service):
    invitation = invite(service)
    fresh = invite(
        service,
        case=service.cases["civil"],
        actor=service.coordinator,
        participant=Participant.objects.get(full_name="Carol Brown"),
    )
    overdue(invitation)
    assert services.invitations_lapse_due() == 1
    assert services.invitations_lapse_due() == 0
    invitation.refresh_from_db()
    assert invitation.status == "lapsed"
    assert WillingnessInvitation.objects.get(pk=fresh.pk).status == "invited"
    assert AuditEvent.objects.filter(action="willingness.lapsed").count() == 1
    assert AuditEvent.objects.filter(action="willingness.not_engaging").count() == 1
    state = willingness_state(service.case)
    assert state.not_engaging and state.label == "Not engaging"


def test_withdrawing_needs_a_reason_and_stops_the_link(service):
    invitation = invite(service)
    before = _state()
    with pytest.raises(ValidationFailed):
        services.willingness_withdraw(actor=service.coordinator, invitation=invitation, reason="")
    with pytest.raises(NotPermitted):
        services.willingness_withdraw(
            actor=service.supervisor, invitation=invitation, reason="Wrong person"
        )
    assert _state() == before
    services.willingness_withdraw(
        actor=service.coordinator, invitation=invitation, reason="Wrong address"
    )
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    assert willingness_state(service.case).code == "withdrawn"
    with pytest.raises(services.LinkClosed):
        services.willingness_answer(secret=invitation.secret, answer="willing", text="")


def test_contact_attempts_are_logged_and_checked(service):
    bob = party(service)
    at = timezone.now() - dt.timedelta(hours=2)
    attempt = services.contact_attempt_log(
        actor=service.coordinator,
        case=service.case,
        participant=bob,
        method="phone",
        at=at,
        outcome="No answer; did not leave a message.",
    )
    assert attempt.by == service.coordinator and attempt.at == at
    event = AuditEvent.objects.get(action="willingness.contact_attempted")
    assert "No answer" not in str(event.details)
    before = ContactAttempt.objects.count()
    with pytest.raises(ValidationFailed) as bad:
        services.contact_attempt_log(
            actor=service.coordinator,
            case=service.case,
            participant=bob,
            method="pigeon",
            at=timezone.now() + dt.timedelta(days=1),
        )
    assert set(bad.value.field_errors) == {"method", "at"}
    with pytest.raises(NotPermitted):
        services.contact_attempt_log(
            actor=service.supervisor, case=service.case, participant=bob, method="phone", at=at
        )
    assert ContactAttempt.objects.count() == before


def test_the_state_follows_the_latest_invitation(service):
    assert willingness_state(service.case).code == "not_invited"
    invitation = invite(service)
    assert willingness_state(service.case).code == "awaiting_answer"
    services.willingness_answer(secret=invitation.secret, answer="info_requested", text="Cost?")
    assert willingness_state(service.case).code == "info_requested"
    again = invite(service)
    services.willingness_answer(secret=again.secret, answer="willing", text="")
    assert willingness_state(service.case).code == "willing"


def test_a_letter_is_refused_when_post_is_not_a_safe_way(service):
    Participant.objects.filter(pk=party(service).pk).update(safe_contact_methods=["email"])
    with pytest.raises(ValidationFailed) as refused:
        invite(service, channel="letter")
    assert "Post is not a safe way" in refused.value.field_errors["channel"][0]
    assert not WillingnessInvitation.objects.exists()


def test_nobody_is_invited_on_a_closed_case(service):
    from accord.cases.models import Case

    Case.objects.filter(pk=service.case.pk).update(stage="closed")
    with pytest.raises(ValidationFailed) as refused:
        invite(service)
    assert "closed" in refused.value.field_errors["__all__"][0]
    assert not WillingnessInvitation.objects.exists()


def test_the_worker_finds_the_lapse_sweep_by_its_path(service):
    from django.utils.module_loading import import_string

    from accord.core.management.commands.worker import DEFAULT_EXTRA_JOBS

    path = "accord.willingness.services.invitations_lapse_due"
    assert path in DEFAULT_EXTRA_JOBS
    overdue(invite(service))
    assert import_string(path)() == 1
