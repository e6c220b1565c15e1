"""Generic signing: online signatures, wet-ink copies, tampering, the PDF certificate."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.agreements import selectors, services
from accord.agreements.models import PacketStatus, Signature, SigningPacket
from accord.agreements.tests.helpers import UA, party, prepare, sign
from accord.audit.models import AuditEvent
from accord.cases import services as case_services
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.documents.models import Document, DocumentShare, DocumentVersion
from accord.documents.tests.pdftext import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a scanned signed copy\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_signing_online_records_time_ip_browser_and_the_text_hash(service):
    agreement = prepare(service)
    signature = sign(service, agreement, "alice", typed_name="  alice   smith ")
    packet = agreement.packet
    assert signature.participant == party(service)
    assert signature.typed_name == "alice smith"
    assert signature.ip_address == "203.0.113.7"
    assert signature.user_agent == UA
    assert signature.method == "online" and signature.signed_at is not None
    assert signature.text_sha256 == packet.sha256 == services.markup.sha256_of(packet.text)
    assert AuditEvent.objects.filter(action="agreements.signed_online").count() == 1
    packet.refresh_from_db()
    assert packet.status == PacketStatus.OPEN
    sign(service, agreement, "bob")
    packet.refresh_from_db()
    assert packet.status == PacketStatus.COMPLETE


def test_a_long_user_agent_is_cut_short(service):
    signature = sign(service, prepare(service), user_agent="x" * 1000)
    assert len(signature.user_agent) == services.USER_AGENT_LIMIT


def test_a_wrong_name_or_no_confirmation_is_refused_and_nothing_is_signed(service):
    agreement = prepare(service)
    with pytest.raises(ValidationFailed) as caught:
        sign(service, agreement, typed_name="Bob Jones", confirm=False)
    assert set(caught.value.field_errors) == {"typed_name", "confirm"}
    with pytest.raises(ValidationFailed):
        sign(service, agreement, typed_name="")
    assert not Signature.objects.exists()


def test_signing_twice_is_refused(service):
    agreement = prepare(service)
    sign(service, agreement)
    with pytest.raises(ValidationFailed, match="already signed"):
        sign(service, agreement)
    assert Signature.objects.count() == 1


def test_people_not_asked_to_sign_are_refused(service, other_service):
    agreement = prepare(service)
    with pytest.raises(NotFoundOrHidden):
        sign(service, agreement, "carol")  # a party of another case of the same service
    for stranger in (other_service.parties["alice"], other_service.admin):
        with pytest.raises(NotFoundOrHidden):
            services.signature_sign_online(
                user=stranger,
                packet=agreement.packet,
                typed_name="Alice Smith",
                confirm=True,
                ip="203.0.113.9",
                user_agent=UA,
            )
    with pytest.raises(NotPermitted):
        services.signature_sign_online(
            user=service.mediator,
            packet=agreement.packet,
            typed_name="ACC Mediator",
            confirm=True,
            ip=None,
            user_agent=UA,
        )
    assert not Signature.objects.exists()


def test_a_replaced_agreement_cannot_be_signed_and_keeps_its_own_signatures(service):
    first = prepare(service)
    sign(service, first, "alice")
    second = prepare(service)
    first.packet.refresh_from_db()
    assert first.packet.status == PacketStatus.VOID
    with pytest.raises(ValidationFailed, match="replaced"):
        sign(service, first, "bob")
    assert not second.packet.signatures.exists()
    assert first.packet.signatures.count() == 1


def test_a_text_changed_behind_the_services_back_is_detected_and_cannot_be_signed(service):
    agreement = prepare(service)
    sign(service, agreement, "alice")
    assert selectors.packet_verify(agreement.packet).ok
    SigningPacket.objects.filter(pk=agreement.packet.pk).update(text="Something else entirely")
    result = selectors.packet_verify(agreement.packet)
    assert not result.ok and not result.text_intact
    assert result.mismatched_signature_ids == [Signature.objects.get().pk]
    with pytest.raises(ValidationFailed, match="changed since"):
        sign(service, agreement, "bob")
    assert Signature.objects.count() == 1


def test_a_signing_packet_for_any_purpose_with_chosen_signers(service):
    solicitor = case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="solicitor",
        full_name="Sam Counsel",
        email="sam@law.example",
    )
    packet = services.signing_packet_create(
        actor=service.mediator,
        case=service.case,
        purpose="outcome",
        title="Parenting Plan",
        text="We agree.",
        signers=[party(service), solicitor],
    )
    state = selectors.packet_status(packet)
    assert [s.participant for s in state.signers] == [party(service), solicitor]
    assert not state.everyone_signed
    alice = service.parties["alice"]
    assert selectors.packets_to_sign_for(alice, service.case) == [packet]
    assert selectors.packets_to_sign_for(service.parties["bob"], service.case) == []
    carol_case = service.cases["civil"]
    with pytest.raises(ValidationFailed) as caught:
        services.signing_packet_create(
            actor=service.mediator,
            case=service.case,
            purpose="outcome",
            title="Plan",
            text="x",
            signers=[carol_case.participants.get()],
        )
    assert "signers" in caught.value.field_errors
    with pytest.raises(NotPermitted):
        services.signing_packet_create(
            actor=service.supervisor,
            case=service.case,
            purpose="outcome",
            title="Plan",
            text="x",
            signers=[party(service)],
        )
    assert SigningPacket.objects.count() == 1


def _file(content: bytes, name: str = "copy.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_wet_ink_copy_counts_as_a_signature_and_is_stored_as_a_version(service):
    agreement = prepare(service)
    signature = services.signature_record_wet_ink(
        actor=service.mediator,
        packet=agreement.packet,
        participant=party(service, "Bob Jones"),
        upload=_file(JPEG, "photo.pdf", "application/pdf"),
    )
    assert signature.method == "wet_ink"
    assert signature.text_sha256 == agreement.packet.sha256
    version = signature.wet_ink_version
    assert version is not None
    assert version.content_type == "image/jpeg"  # from the content, not the name or header
    assert version.file_name.endswith(".jpg")
    assert selectors.packet_status(agreement.packet).unsigned == [party(service)]


def test_wet_ink_of_the_wrong_type_or_too_large_is_refused(service, monkeypatch):
    agreement = prepare(service)
    bob = party(service, "Bob Jones")
    for bad in (b"MZ\x90\x00 not a scan", b"<html><script>alert(1)</script>", b""):
        with pytest.raises(ValidationFailed) as caught:
            services.signature_record_wet_ink(
                actor=service.mediator, packet=agreement.packet, participant=bob, upload=_file(bad)
            )
        assert "upload" in caught.value.field_errors
    monkeypatch.setattr(services, "WET_INK_LIMIT", 100)
    with pytest.raises(ValidationFailed) as caught:
        services.signature_record_wet_ink(
            actor=service.mediator,
            packet=agreement.packet,
            participant=bob,
            upload=_file(PDF + b"0" * 200),
        )
    assert "10 MB" in caught.value.field_errors["upload"][0]
    assert not Signature.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_wet_ink_is_for_the_case_team_and_for_required_signers_only(service, other_service):
    agreement = prepare(service)
    bob = party(service, "Bob Jones")
    with pytest.raises(NotPermitted):
        services.signature_record_wet_ink(
            actor=service.supervisor, packet=agreement.packet, participant=bob, upload=_file(PDF)
        )
    with pytest.raises(NotFoundOrHidden):
        services.signature_record_wet_ink(
            actor=other_service.admin, packet=agreement.packet, participant=bob, upload=_file(PDF)
        )
    carol = service.cases["civil"].participants.get()
    with pytest.raises(ValidationFailed) as caught:
        services.signature_record_wet_ink(
            actor=service.mediator, packet=agreement.packet, participant=carol, upload=_file(PDF)
        )
    assert "participant" in caught.value.field_errors
    assert not Signature.objects.exists()


def test_the_pdf_carries_a_signing_certificate_and_the_signers_copy_hides_ip(service):
    agreement = prepare(service)
    sign(service, agreement, "alice")
    team = services.packet_render_pdf(actor=service.mediator, packet=agreement.packet)
    with team.content.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    packet = agreement.packet
    assert "Signing certificate" in text
    assert packet.sha256 in text.replace(" ", "")
    certificate = text.split("Signing certificate", 1)[1]
    assert "203.0.113.7" in certificate and "TestBrowser/1.0" in certificate
    assert "Alice Smith" in certificate and "Signed online" in certificate
    assert "Voluntary" in text or "voluntary" in text
    shared = Document.objects.get(code=f"{packet.document_code}-signers").versions.get()
    with shared.content.open("rb") as handle:
        signers_text = pdf_text(handle.read())
    assert "Signing certificate" in signers_text
    assert "203.0.113.7" not in signers_text
    shared_with = set(
        DocumentShare.objects.filter(version=shared).values_list("participant", flat=True)
    )
    assert shared_with == {party(service).pk, party(service, "Bob Jones").pk}
    assert not DocumentShare.objects.filter(version=team).exists()
    sign(service, agreement, "bob")
    again = services.packet_render_pdf(actor=service.mediator, packet=agreement.packet)
    assert again.number == 2
    with again.content.open("rb") as handle:
        assert "Bob Jones" in pdf_text(handle.read()).split("Signing certificate")[1]


def test_injection_in_the_wording_is_inert_in_the_pdf(service):
    services.agreement_template_save(
        actor=service.admin,
        organisation=service.organisation,
        kind_group="family",
        title="Agreement",
        body="{% now 'Y' %} <b>bold</b> {{service}}",
    )
    agreement = prepare(service)
    version = services.packet_render_pdf(actor=service.mediator, packet=agreement.packet)
    with version.content.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "{% now 'Y' %}" in text and "<b>bold</b>" in text


def test_signers_are_emailed_a_link_once_and_never_where_email_is_unsafe(service, settings):
    from accord.deadlines.models import OutboundEmail

    settings.ACCORD_SITE_URL = "https://accord.example"
    bob = party(service, "Bob Jones")
    bob.safe_contact_methods = ["phone"]
    bob.save(update_fields=["safe_contact_methods"])
    agreement = prepare(service)
    emails = list(OutboundEmail.objects.all())
    assert [e.to_email for e in emails] == [party(service).email]
    body = emails[0].body
    assert f"/portal/cases/{service.case.pk}/sign/{agreement.packet.pk}/" in body
    assert "voluntary" not in body.lower() and service.organisation.name not in emails[0].subject


def test_producing_the_pdf_with_the_agreement_or_a_wet_ink_copy(service):
    agreement = services.agreement_create(
        actor=service.mediator, case=service.case, produce_pdf=True
    )
    document = Document.objects.get(code=agreement.packet.document_code)
    assert document.versions.count() == 1
    services.signature_record_wet_ink(
        actor=service.mediator,
        packet=agreement.packet,
        participant=party(service),
        upload=_file(PDF),
        produce_pdf=True,
    )
    latest = document.versions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    with latest.content.open("rb") as handle:
        certificate = pdf_text(handle.read()).split("Signing certificate", 1)[1]
    assert "Wet-ink copy uploaded" in " ".join(certificate.split())


def test_someone_who_signed_cannot_be_removed_alone_but_the_whole_case_can(service):
    from django.db.models.deletion import RestrictedError

    from accord.cases.models import Case

    agreement = prepare(service)
    sign(service, agreement, "alice")
    with pytest.raises(RestrictedError):
        party(service).delete()
    assert Signature.objects.count() == 1
    Case.objects.filter(pk=service.case.pk).delete()
    assert not Signature.objects.exists() and not SigningPacket.objects.exists()


def test_an_online_signature_puts_itself_on_the_pdf_in_the_background(
    service, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    agreement = prepare(service, produce_pdf=True)
    packet = agreement.packet
    team_document = Document.objects.get(code=packet.document_code)
    assert team_document.versions.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        signature = sign(service, agreement, "alice")
    job = DBTaskResult.objects.get(task_path="accord.agreements.tasks.packet_pdf_refresh")
    assert job.args_kwargs["args"] == [packet.pk, signature.pk]

    # What the worker does with the job: Accord itself produces both copies again.
    assert services.packet_pdf_refresh_after_signature(
        packet_id=packet.pk, signature_id=signature.pk
    )
    latest = team_document.versions.order_by("-number")[0]
    assert latest.number == 2 and latest.produced_by is None
    with latest.content.open("rb") as handle:
        certificate = pdf_text(handle.read()).split("Signing certificate", 1)[1]
    assert "Alice Smith" in certificate and "203.0.113.7" in certificate
    shared = Document.objects.get(code=f"{packet.document_code}-signers").versions.first()
    assert DocumentShare.objects.filter(version=shared, participant=party(service)).exists()
    produced = AuditEvent.objects.filter(action="document.produced").order_by("-sequence")[0]
    assert produced.actor_id is None and produced.actor_label == "Accord (automatic)"

    # Running the job again, or for a replaced agreement, produces nothing more.
    assert not services.packet_pdf_refresh_after_signature(
        packet_id=packet.pk, signature_id=signature.pk
    )
    assert team_document.versions.count() == 2
    bob_signature = sign(service, agreement, "bob")
    services.agreement_create(actor=service.mediator, case=service.case)  # voids this packet
    assert not services.packet_pdf_refresh_after_signature(
        packet_id=packet.pk, signature_id=bob_signature.pk
    )
    assert team_document.versions.count() == 2


def test_a_please_sign_email_is_dropped_at_delivery_once_the_person_has_signed(service):
    from django.core import mail

    from accord.deadlines.delivery import outbox_deliver_due
    from accord.deadlines.models import OutboundEmail, OutboundStatus

    agreement = prepare(service)
    email = OutboundEmail.objects.get(to_email=party(service).email)
    sign(service, agreement)
    outbox_deliver_due()
    email.refresh_from_db()
    assert email.status == OutboundStatus.DROPPED
    assert email.last_error == "They signed before the email went out."
    assert email.to_email not in [to for m in mail.outbox for to in m.to]
