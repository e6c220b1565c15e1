"""MIAM certificates: who may sign, what is checked, the PDF, the validity rule, immutability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accord.audit.models import AuditEvent
from accord.calendar import london_date
from accord.cases.models import Case
from accord.cases.workspace import section_url
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.documents.models import Document, DocumentVersion, ImmutableVersionError
from accord.documents.tests.pdftext import pdf_text
from accord.meetings import services
from accord.meetings.models import CertificateOutcome, MiamCertificate
from accord.meetings.tests.helpers import book, held, issue, party
from accord.organisations.models import MediatorProfile

pytestmark = pytest.mark.django_db


def test_the_accredited_mediator_issues_a_signed_certificate_pdf(service):
    miam = held(service)
    certificate = issue(service, miam, court_application="form_a", sole_trader_name="R. Mediates")
    miam_date = london_date(miam.starts_at)
    assert certificate.miam_date == miam_date
    assert certificate.fmc_urn == "FMC1234"
    assert certificate.mediator_name == service.mediator.full_name
    assert certificate.service_name == service.organisation.name
    version = certificate.document_version
    assert version.document.code == f"miam-certificate-{miam.pk}-{party(service).pk}"
    assert len(version.sha256) == 64
    text = " ".join(pdf_text(version.content.open("rb").read()).split())
    for expected in (
        service.organisation.name,
        "R. Mediates",
        service.mediator.full_name,
        "FMC1234",
        "Alice Smith",
        f"{miam_date:%-d %B %Y}",
        "MIAM attended: mediation is to go ahead",
        "Form A (financial remedy)",
        f"{certificate.valid_until:%-d %B %Y}",
        f"Signed electronically by {service.mediator.full_name}, FMC URN FMC1234",
    ):
        assert expected in text
    assert "Bob Jones" not in text
    event = AuditEvent.objects.get(action="miam.certificate_issued")
    assert event.details["certificate_id"] == certificate.pk
    assert "Alice" not in str(event.details)


def test_validity_is_the_miam_date_plus_four_months_from_the_dated_rule(service):
    miam = held(service)
    certificate = issue(service, miam)
    from accord.calendar import add_months

    assert certificate.valid_until == add_months(certificate.miam_date, 4)


@pytest.mark.parametrize(
    ("miam_date", "valid_until"),
    [
        (dt.date(2025, 10, 31), dt.date(2026, 2, 28)),
        (dt.date(2027, 10, 31), dt.date(2028, 2, 29)),
        (dt.date(2025, 6, 30), dt.date(2025, 10, 30)),
    ],
)
def test_validity_clamps_to_the_end_of_a_shorter_month(service, miam_date, valid_until):
    assert (
        services.miam_certificate_valid_until(
            organisation=service.organisation, miam_date=miam_date
        )
        == valid_until
    )


def test_no_validity_before_the_rule_was_in_force(service):
    assert (
        services.miam_certificate_valid_until(
            organisation=service.organisation, miam_date=dt.date(2020, 1, 10)
        )
        is None
    )


def _nothing_issued() -> None:
    assert not MiamCertificate.objects.exists()
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="miam.certificate_issued").exists()


def test_a_provisional_mediator_on_the_case_may_not_issue(service):
    Case.objects.filter(pk=service.case.pk).update(co_mediator=service.mediator2)
    miam = held(service)
    with pytest.raises(NotPermitted, match="accredited"):
        issue(service, miam, actor=service.mediator2, signed_name=service.mediator2.full_name)
    _nothing_issued()


def test_the_coordinator_and_supervisor_may_not_issue(service):
    miam = held(service)
    for user in (service.coordinator, service.supervisor):
        with pytest.raises(NotPermitted):
            issue(service, miam, actor=user, signed_name=user.full_name)
    _nothing_issued()


def test_an_accredited_mediator_off_the_case_team_may_not_issue(service):
    MediatorProfile.objects.filter(user=service.mediator2).update(
        accreditation="accredited", fmc_urn="FMC9999"
    )
    miam = held(service)
    # Off the team, a mediator cannot even see the case.
    with pytest.raises(NotFoundOrHidden):
        issue(service, miam, actor=service.mediator2, signed_name=service.mediator2.full_name)
    _nothing_issued()


def test_other_services_and_parties_get_not_found(service, other_service):
    miam = held(service)
    for user in (other_service.mediator, service.parties["alice"]):
        with pytest.raises(NotFoundOrHidden):
            issue(service, miam, actor=user, signed_name=user.full_name)
    _nothing_issued()


def test_a_miam_not_yet_held_has_no_certificate(service):
    miam = book(service)
    with pytest.raises(ValidationFailed) as caught:
        issue(service, miam)
    assert "held" in caught.value.field_errors["__all__"][0]
    _nothing_issued()


def test_only_a_party_who_attended_gets_a_certificate(service):
    miam = held(service)
    with pytest.raises(ValidationFailed) as caught:
        issue(service, miam, "Bob Jones")
    assert "party" in caught.value.field_errors
    _nothing_issued()


def test_the_typed_name_must_be_the_mediators_and_confirmed(service):
    miam = held(service)
    with pytest.raises(ValidationFailed) as caught:
        issue(service, miam, signed_name="Someone Else", confirm=False)
    assert set(caught.value.field_errors) == {"signed_name", "confirm"}
    _nothing_issued()
    # Case and spacing do not matter: the name is what the mediator typed.
    messy = "  " + "   ".join(service.mediator.full_name.upper().split()) + " "
    certificate = issue(service, miam, signed_name=messy)
    assert certificate.signed_name == service.mediator.full_name.upper()


def test_legacy_and_unknown_outcomes_are_refused_for_new_certificates(service):
    miam = held(service)
    for outcome in ("legacy_exemption", "legacy_not_suitable", "nonsense"):
        with pytest.raises(ValidationFailed) as caught:
            issue(service, miam, outcome=outcome)
        assert "outcome" in caught.value.field_errors
    with pytest.raises(ValidationFailed) as caught:
        issue(service, miam, court_application="county_court")
    assert "court_application" in caught.value.field_errors
    _nothing_issued()


def test_a_legacy_certificate_still_displays(service):
    miam = held(service)
    old = MiamCertificate.objects.create(
        organisation=service.organisation,
        case=service.case,
        miam=miam,
        party=party(service),
        mediator=service.mediator,
        mediator_name="Former Name",
        fmc_urn="FMC0001",
        service_name="Old Service Name",
        miam_date=dt.date(2023, 5, 2),
        outcome=CertificateOutcome.LEGACY_EXEMPTION_VALIDATED,
        valid_until=dt.date(2023, 9, 2),
        court_application="c100",
        signed_name="Former Name",
        signed_at=dt.datetime(2023, 5, 2, 12, tzinfo=dt.UTC),
        signature_statement="Signed on the FM1.",
        issued_by=service.mediator,
    )
    old.refresh_from_db()
    assert old.is_legacy
    assert old.get_outcome_display() == (
        "MIAM exemption validated by the mediator (before 29 April 2024)"
    )
    client = Client()
    client.force_login(service.mediator)
    page = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "MIAM exemption validated by the mediator (before 29 April 2024)" in page


def test_a_reissue_is_a_new_version_and_a_new_row_and_the_old_ones_stay(service):
    miam = held(service)
    first = issue(service, miam)
    MediatorProfile.objects.filter(user=service.mediator).update(fmc_urn="FMC5678")
    second = issue(service, miam, outcome="party_not_continuing")
    assert first.document_version.document_id == second.document_version.document_id
    assert (first.document_version.number, second.document_version.number) == (1, 2)
    first.refresh_from_db()
    # A later change of URN never changes a certificate already issued.
    assert first.fmc_urn == "FMC1234" and second.fmc_urn == "FMC5678"
    assert MiamCertificate.objects.count() == 2


def test_the_certificate_version_is_immutable(service):
    certificate = issue(service, held(service))
    version = DocumentVersion.objects.get(pk=certificate.document_version_id)
    version.file_name = "changed.pdf"
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        version.delete()


def test_a_certificate_can_be_issued_while_the_case_is_paused_or_closed(service):
    from django.utils import timezone

    miam = held(service)
    Case.objects.filter(pk=service.case.pk).update(is_paused=True)
    assert issue(service, miam).pk
    Case.objects.filter(pk=service.case.pk).update(
        is_paused=False, stage="closed", closed_at=timezone.now()
    )
    service.case.refresh_from_db()
    assert service.case.is_closed
    assert issue(service, miam, outcome="party_not_continuing").pk


def test_the_party_may_download_their_certificate_and_the_other_party_may_not(service):
    certificate = issue(service, held(service))
    url = reverse("documents:download", args=[certificate.document_version_id])
    alice, bob = Client(), Client()
    alice.force_login(service.parties["alice"])
    bob.force_login(service.parties["bob"])
    assert alice.get(url).status_code == 200
    assert bob.get(url).status_code == 404


# The page


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_mediator_issues_a_certificate_from_the_workspace(service):
    miam = held(service)
    client = _client(service.mediator)
    workspace = section_url(service.case.pk, "preparation")
    assert "Issue a MIAM certificate for Alice Smith" in client.get(workspace).content.decode()
    url = reverse("meetings:certificate", args=[service.case.pk, miam.pk, party(service).pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": "not_suitable",
            "court_application": "c100",
            "signed_name": service.mediator.full_name,
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    certificate = MiamCertificate.objects.get()
    page = client.get(workspace).content.decode()
    assert "MIAM attended: mediation is not suitable" in page
    assert reverse("documents:download", args=[certificate.document_version_id]) in page


def test_a_bad_signature_shows_errors_and_issues_nothing(service):
    miam = held(service)
    url = reverse("meetings:certificate", args=[service.case.pk, miam.pk, party(service).pk])
    client = _client(service.mediator)
    data = {"outcome": "go_ahead", "court_application": "c100", "signed_name": "Nobody"}
    response = client.post(url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Type your name exactly as it is on your account" in body
    assert "Tick the box to confirm and sign the certificate." in body
    # A legacy outcome is not even offered on the form.
    response = client.post(url, {**data, "outcome": "legacy_exemption", "confirm": "on"})
    assert response.status_code == 422
    assert "legacy_exemption" not in client.get(url).content.decode()
    _nothing_issued()


def test_a_provisional_mediator_is_told_why_they_cannot_issue(service):
    Case.objects.filter(pk=service.case.pk).update(co_mediator=service.mediator2)
    miam = held(service)
    client = _client(service.mediator2)
    workspace = client.get(section_url(service.case.pk, "preparation")).content.decode()
    assert "Only an accredited (FMCA) mediator can sign a MIAM certificate" in workspace
    assert "Issue a MIAM certificate" not in workspace
    url = reverse("meetings:certificate", args=[service.case.pk, miam.pk, party(service).pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "Provisional" in response.content.decode()
    data = {"outcome": "go_ahead", "court_application": "c100", "confirm": "on"}
    assert client.post(url, {**data, "signed_name": service.mediator2.full_name}).status_code == 403
    assert _client(service.coordinator).get(url).status_code == 403
    _nothing_issued()


def test_parties_and_other_services_get_404_on_the_certificate_page(service, other_service):
    miam = held(service)
    url = reverse("meetings:certificate", args=[service.case.pk, miam.pk, party(service).pk])
    for user in (service.parties["alice"], service.parties["bob"], other_service.mediator):
        assert _client(user).get(url).status_code == 404
    bob_url = reverse(
        "meetings:certificate", args=[service.case.pk, miam.pk, party(service, "Bob Jones").pk]
    )
    assert _client(service.mediator).get(bob_url).status_code == 404
