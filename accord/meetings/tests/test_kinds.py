"""MIAMs, screening, certificates and funding belong to family mediation only.

On a civil, workplace or SEND case every service refuses with the refusal message and saves
nothing; the workspace hides the panel; the pages and the API refuse too; reminders skip them.
MIAMs on such a case can only be data from before kinds declared their parts, made here
directly in the database. A family case still has it all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases import kinds
from accord.cases import services as case_services
from accord.cases.models import Case, Participant
from accord.cases.progress import PartNotApplicable
from accord.deadlines.models import Deadline, OutboundEmail
from accord.meetings import services
from accord.meetings.models import (
    Funding,
    Miam,
    MiamCertificate,
    MiamStatus,
    Screening,
    ScreeningAnswer,
)
from accord.meetings.tests.helpers import book, held, party, soon
from accord.safeguarding.models import SafeguardingConcern
from accord.testing.factories import party_with_login
from accord.testing.journey import future

pytestmark = pytest.mark.django_db

OTHER_KINDS = ["civil", "workplace", "send"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> dict[str, int]:
    """Every row a refused MIAM service could have written."""
    return {
        "miams": Miam.objects.count(),
        "held": Miam.objects.filter(status=MiamStatus.HELD).count(),
        "screenings": Screening.objects.count(),
        "certificates": MiamCertificate.objects.count(),
        "funding": Funding.objects.count(),
        "concerns": SafeguardingConcern.objects.count(),
        "deadlines": Deadline.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


class Other:
    """A case of a kind without MIAMs, with two parties and a legacy MIAM held for the first."""

    def __init__(self, service: Any, kind: str) -> None:
        self.mediator = service.mediator
        self.case = case_services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind=kind,
            title=f"A {kind} case",
            lead_mediator=service.mediator,
        )
        self.first, _ = party_with_login(
            self.case, actor=service.coordinator, name="Dana Field", email=f"dana-{kind}@x.example"
        )
        self.second, _ = party_with_login(
            self.case, actor=service.coordinator, name="Eli Moss", email=f"eli-{kind}@x.example"
        )
        # Made before this kind refused MIAMs: held an hour ago, one booked for tomorrow.
        self.miam = self._legacy_miam(timezone.now() - dt.timedelta(hours=1), MiamStatus.HELD)
        self.booked = self._legacy_miam(timezone.now() + dt.timedelta(hours=24), MiamStatus.BOOKED)
        self.screening = Screening.objects.create(
            organisation=service.organisation,
            case=self.case,
            miam=self.miam,
            participant=self.first,
            risk_to_children=ScreeningAnswer.YES,
            recorded_by=service.mediator,
        )
        self.service = service
        self.refusal = {
            code: kinds.refusal(kind, code)
            for code in ("miam", "screening", "miam_certificate", "funding")
        }

    def _legacy_miam(self, starts_at: dt.datetime, status: str) -> Miam:
        miam = Miam.objects.create(
            organisation_id=self.case.organisation_id,
            case=self.case,
            mediator=self.mediator,
            starts_at=starts_at,
            duration_minutes=45,
            mode="video",
            place="https://video.example/old",
            status=status,
        )
        miam.attendees.set([self.first])
        return miam


@pytest.fixture(params=OTHER_KINDS)
def other(request, service) -> Other:
    return Other(service, request.param)


# Services ----------------------------------------------------------------------------------------


def _refused(other: Other, code: str, call: Any) -> None:
    before = _counts()
    with pytest.raises(PartNotApplicable) as exc:
        call()
    assert exc.value.message == other.refusal[code]
    assert exc.value.field_errors == {"__all__": [other.refusal[code]]}
    assert _counts() == before


def test_the_refusal_names_the_part_and_the_kind(other):
    message = other.refusal["miam"]
    assert message.startswith("MIAMs apply only to family mediation; this case is ")
    assert other.case.get_kind_display().split(":")[0].lower() in message.lower()


def test_no_miam_can_be_booked(other):
    service = other.service
    _refused(
        other,
        "miam",
        lambda: services.miam_book(
            actor=service.coordinator,
            case=other.case,
            attendees=[other.first],
            mediator=service.mediator,
            starts_at=soon(),
            mode="video",
            place="https://video.example/room",
        ),
    )


def test_a_legacy_miam_cannot_be_recorded_as_held(other):
    Miam.objects.filter(pk=other.booked.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    _refused(
        other,
        "miam",
        lambda: services.miam_record_held(
            actor=other.service.mediator, miam=other.booked, covered=["covered_options"]
        ),
    )


def test_no_screening_is_saved_and_no_concern_raised_from_one(other):
    mediator = other.service.mediator
    _refused(
        other,
        "screening",
        lambda: services.screening_save(
            actor=mediator, miam=other.miam, participant=other.first, answers={}
        ),
    )
    _refused(
        other,
        "screening",
        lambda: services.screening_raise_concern(actor=mediator, screening=other.screening),
    )


def test_no_miam_certificate_is_issued(other):
    mediator = other.service.mediator
    _refused(
        other,
        "miam_certificate",
        lambda: services.miam_certificate_issue(
            actor=mediator,
            miam=other.miam,
            party=other.first,
            outcome="go_ahead",
            court_application="c100",
            signed_name=mediator.full_name,
            confirm=True,
        ),
    )


@pytest.mark.parametrize(
    "funding",
    [
        {"kind": "legal_aid", "legal_aid_basis": "passported", "legal_aid_outcome": "eligible"},
        {"kind": "voucher", "voucher_amount": Decimal("100.00")},
        {"kind": "private"},
    ],
)
def test_no_funding_is_recorded(other, funding):
    _refused(
        other,
        "funding",
        lambda: services.funding_record(
            actor=other.service.coordinator, participant=other.first, **funding
        ),
    )


def test_someone_who_cannot_see_the_case_is_still_told_only_404(other, other_service):
    from accord.core.errors import NotFoundOrHidden

    with pytest.raises(NotFoundOrHidden):
        services.miam_book(
            actor=other_service.coordinator,
            case=other.case,
            attendees=[other.first],
            mediator=other_service.mediator,
            starts_at=soon(),
            mode="video",
            place="x",
        )


# Emails ------------------------------------------------------------------------------------------


def test_no_reminder_for_a_legacy_miam_but_family_miams_are_still_reminded(other):
    now = timezone.now()
    book(other.service, starts_at=now + dt.timedelta(hours=30))
    # Both start within the next 48 hours; only the family one is reminded.
    sent = services.miam_reminders_send_due(now=now)
    assert sent == 1
    reminded = OutboundEmail.objects.filter(message_id__contains=".reminder.")
    assert [e.to_email for e in reminded] == [party(other.service).email]
    assert not AuditEvent.objects.filter(
        action="miam.reminder_sent", case_id=other.case.pk
    ).exists()


# Pages -------------------------------------------------------------------------------------------


def test_the_workspace_shows_no_miams_screening_certificates_or_funding(other):
    client = _client(other.service.mediator)
    page = client.get(
        reverse("cases:detail", args=[other.case.pk]) + "?section=preparation"
    ).content.decode()
    for absent in (
        "miams-heading",
        "Book a MIAM",
        "Record that this MIAM was held",
        "private screening",
        "Screening suggests",
        "MIAM certificate",
        "Record or change funding",
        reverse("meetings:funding", args=[other.case.pk]),
    ):
        assert absent not in page, absent
    # Civil and workplace cases still have a suitability decision; SEND has none.
    has_suitability = kinds.applies(other.case.kind, "suitability")
    assert ("Record the suitability decision" in page) is has_suitability
    assert ('id="suitability-heading"' in page) is has_suitability


def _page_urls(other: Other) -> list[tuple[str, str]]:
    pk, miam, first = other.case.pk, other.miam.pk, other.first.pk
    return [
        ("miam", reverse("meetings:book", args=[pk])),
        ("miam", reverse("meetings:held", args=[pk, other.booked.pk])),
        ("miam_certificate", reverse("meetings:certificate", args=[pk, miam, first])),
        ("screening", reverse("meetings:screening", args=[pk, miam, first])),
        ("funding", reverse("meetings:funding", args=[pk])),
        ("funding", reverse("meetings:funding_record", args=[pk, first])),
    ]


def test_every_page_refuses_with_the_message(other):
    client = _client(other.service.mediator)
    for code, url in _page_urls(other):
        response = client.get(url)
        assert response.status_code == 404, url
        assert other.refusal[code] in response.content.decode(), url


def test_posting_to_the_pages_saves_nothing(other):
    client = _client(other.service.mediator)
    before = _counts()
    book_data = {
        "attendees": [str(other.first.pk)],
        "mediator": str(other.service.mediator.pk),
        "starts_at": future(3).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "45",
        "mode": "video",
        "place": "https://video.example/room",
    }
    posts = [
        (reverse("meetings:book", args=[other.case.pk]), book_data),
        (
            reverse("meetings:funding_record", args=[other.case.pk, other.first.pk]),
            {"kind": "private"},
        ),
        (
            reverse(
                "meetings:screening_concern",
                args=[other.case.pk, other.miam.pk, other.first.pk],
            ),
            {},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert _counts() == before


# API ---------------------------------------------------------------------------------------------


def test_the_api_lists_nothing_and_refuses_a_certificate(other):
    api = token_client(other.service.mediator)
    pk = other.case.pk
    assert api.get(f"/cases/{pk}/miams").json() == []
    assert api.get(f"/cases/{pk}/miam-certificates").json() == []
    response = api.get(f"/cases/{pk}/miams/{other.miam.pk}/screenings")
    assert response.status_code == 422
    assert response.json() == {
        "detail": other.refusal["screening"],
        "errors": {"__all__": [other.refusal["screening"]]},
    }
    before = _counts()
    response = api.post(
        f"/cases/{pk}/miam-certificates",
        {
            "miam_id": other.miam.pk,
            "participant_id": other.first.pk,
            "outcome": "go_ahead",
            "court_application": "c100",
            "signed_name": other.service.mediator.full_name,
            "confirm": True,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == other.refusal["miam_certificate"]
    assert _counts() == before


def test_a_party_is_listed_no_legacy_miam(other):
    user = Participant.objects.get(pk=other.first.pk).user
    assert token_client(user).get(f"/cases/{other.case.pk}/miams").json() == []


# A family case keeps all of it --------------------------------------------------------------------


def test_a_family_case_still_has_miams_screening_certificates_and_funding(service):
    case: Case = service.case
    miam = held(service)
    client = _client(service.mediator)
    page = client.get(
        reverse("cases:detail", args=[case.pk]) + "?section=preparation"
    ).content.decode()
    assert "Book a MIAM" in page and "Record or change funding" in page
    assert "Issue a MIAM certificate for Alice Smith" in page
    assert "private screening of Alice Smith" in page
    for url in (
        reverse("meetings:book", args=[case.pk]),
        reverse("meetings:funding", args=[case.pk]),
        reverse("meetings:screening", args=[case.pk, miam.pk, party(service).pk]),
        reverse("meetings:certificate", args=[case.pk, miam.pk, party(service).pk]),
    ):
        assert client.get(url).status_code == 200, url
    services.funding_record(actor=service.coordinator, participant=party(service), kind="private")
    body = token_client(service.mediator).get(f"/cases/{case.pk}/miams").json()
    assert [m["id"] for m in body] == [miam.pk]
