"""Inviting the other party belongs to family, civil, workplace and community mediation, not SEND.

On a SEND case the services refuse with the refusal message and save nothing, the workspace shows
no willingness panel, the pages and the API refuse, and the lapse sweep leaves an old invitation
alone. Civil and workplace cases invite as family cases do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent
from accord.cases import kinds
from accord.cases import services as case_services
from accord.cases.progress import PartNotApplicable
from accord.deadlines.models import Deadline, OutboundEmail
from accord.documents.models import Document
from accord.testing.factories import party_with_login
from accord.willingness import codes, services
from accord.willingness.models import ContactAttempt, InvitationStatus, WillingnessInvitation
from accord.willingness.tests.helpers import invite, overdue

pytestmark = pytest.mark.django_db

KINDS = ["civil", "workplace", "send"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> dict[str, int]:
    """Every row a refused invitation or contact attempt could have written."""
    return {
        "invitations": WillingnessInvitation.objects.count(),
        "invited": WillingnessInvitation.objects.filter(status=InvitationStatus.INVITED).count(),
        "attempts": ContactAttempt.objects.count(),
        "deadlines": Deadline.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "documents": Document.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


class Kase:
    """A case of one kind with the enquirer and the other party."""

    def __init__(self, service: Any, kind: str) -> None:
        self.service = service
        self.kind = kind
        self.case = case_services.case_open(
            actor=service.coordinator,
            organisation=service.organisation,
            kind=kind,
            title=f"A {kind} case",
            lead_mediator=service.mediator,
        )
        self.enquirer, _ = party_with_login(
            self.case, actor=service.coordinator, name="Dana Field", email=f"dana-{kind}@x.example"
        )
        self.other, _ = party_with_login(
            self.case, actor=service.coordinator, name="Eli Moss", email=f"eli-{kind}@x.example"
        )
        self.applies = kinds.applies(kind, "willingness")
        self.refusal = kinds.refusal(kind, "willingness")

    def invite(self, channel: str = "email") -> WillingnessInvitation:
        return services.willingness_invite(
            actor=self.service.coordinator, case=self.case, participant=self.other, channel=channel
        )

    def log_attempt(self) -> ContactAttempt:
        return services.contact_attempt_log(
            actor=self.service.coordinator,
            case=self.case,
            participant=self.other,
            method="phone",
            at=timezone.now() - dt.timedelta(hours=1),
            outcome="No answer.",
        )

    def legacy_invitation(self) -> WillingnessInvitation:
        """An unanswered invitation made before SEND refused them, past its date."""
        return WillingnessInvitation.objects.create(
            organisation_id=self.case.organisation_id,
            case=self.case,
            participant=self.other,
            channel="email",
            secret_hash=codes.code_hash(codes.new_code()),
            sent_at=timezone.now() - dt.timedelta(days=30),
            respond_by=timezone.localdate() - dt.timedelta(days=2),
            created_by=self.service.coordinator,
        )


@pytest.fixture(params=KINDS)
def kase(request, service) -> Kase:
    return Kase(service, request.param)


def test_only_send_is_refused():
    assert [k for k in KINDS if not kinds.applies(k, "willingness")] == ["send"]
    assert kinds.refusal("send", "willingness") == (
        "Invitations to the other party apply only to family, civil, workplace and community "
        "mediation; this case is SEND mediation."
    )


@pytest.mark.parametrize("channel", ["email", "letter"])
def test_inviting_works_where_it_applies_and_is_refused_on_send(kase, channel):
    before = _counts()
    if kase.applies:
        invitation = kase.invite(channel)
        assert invitation.status == InvitationStatus.INVITED
        assert _counts()["invitations"] == before["invitations"] + 1
        return
    with pytest.raises(PartNotApplicable) as exc:
        kase.invite(channel)
    assert exc.value.message == kase.refusal
    assert exc.value.field_errors == {"__all__": [kase.refusal]}
    assert _counts() == before


def test_logging_contact_works_where_it_applies_and_is_refused_on_send(kase):
    before = _counts()
    if kase.applies:
        kase.log_attempt()
        assert _counts()["attempts"] == before["attempts"] + 1
        return
    with pytest.raises(PartNotApplicable, match="SEND mediation"):
        kase.log_attempt()
    assert _counts() == before


def test_the_lapse_sweep_leaves_a_send_invitation_alone(kase, service):
    family = invite(service)
    overdue(family)
    legacy = kase.legacy_invitation()
    lapsed = services.invitations_lapse_due()
    assert lapsed == (2 if kase.applies else 1)
    legacy.refresh_from_db()
    family.refresh_from_db()
    assert family.status == InvitationStatus.LAPSED
    assert legacy.status == (InvitationStatus.LAPSED if kase.applies else InvitationStatus.INVITED)
    events = AuditEvent.objects.filter(action="willingness.lapsed", case_id=kase.case.pk)
    assert events.exists() is kase.applies


def test_the_workspace_shows_the_panel_only_where_it_applies(kase):
    page = _client(kase.service.coordinator).get(
        reverse("cases:detail", args=[kase.case.pk]) + "?section=people"
    )
    body = page.content.decode()
    for text in (
        'id="willingness-heading"',
        "Invite by email",
        reverse("willingness:invite", args=[kase.case.pk]),
        reverse("willingness:contact_attempt", args=[kase.case.pk]),
    ):
        assert (text in body) is kase.applies, text


def test_a_not_engaging_other_party_on_a_civil_case_is_not_told_about_miams(service):
    kase = Kase(service, "civil")
    overdue(kase.invite())
    services.invitations_lapse_due()
    body = _client(service.coordinator).get(
        reverse("cases:detail", args=[kase.case.pk]) + "?section=people"
    )
    text = body.content.decode()
    assert "The other party is not engaging" in text
    assert "their MIAM can go ahead" not in text
    family = invite(service)
    overdue(family)
    services.invitations_lapse_due()
    page = _client(service.coordinator).get(
        reverse("cases:detail", args=[service.case.pk]) + "?section=people"
    )
    assert "their MIAM can go ahead" in page.content.decode()


def test_the_pages_refuse_on_send_and_save_nothing(service):
    kase = Kase(service, "send")
    client = _client(service.coordinator)
    invite_url = reverse("willingness:invite", args=[kase.case.pk])
    attempt_url = reverse("willingness:contact_attempt", args=[kase.case.pk])
    for url in (invite_url, attempt_url, f"{invite_url}?channel=letter"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert kase.refusal in response.content.decode()
    before = _counts()
    local = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    posts = [
        (invite_url, {"participant": str(kase.other.pk), "channel": "email"}),
        (
            attempt_url,
            {
                "participant": str(kase.other.pk),
                "method": "phone",
                "at": local.strftime("%Y-%m-%dT%H:%M"),
            },
        ),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert kase.refusal in response.content.decode()
    assert _counts() == before


def test_the_pages_open_on_a_civil_case(service):
    kase = Kase(service, "civil")
    client = _client(service.coordinator)
    assert client.get(reverse("willingness:invite", args=[kase.case.pk])).status_code == 200
    assert (
        client.get(reverse("willingness:contact_attempt", args=[kase.case.pk])).status_code == 200
    )


def test_the_api_refuses_on_send_in_the_error_shape(service):
    kase = Kase(service, "send")
    api = token_client(service.coordinator)
    base = f"/cases/{kase.case.pk}/willingness"
    expected = {"detail": kase.refusal, "errors": {"__all__": [kase.refusal]}}
    response = api.get(base)
    assert response.status_code == 422 and response.json() == expected
    before = _counts()
    response = api.post(f"{base}/invitations", {"participant_id": kase.other.pk})
    assert response.status_code == 422 and response.json() == expected
    response = api.post(
        f"{base}/contact-attempts",
        {
            "participant_id": kase.other.pk,
            "method": "phone",
            "at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        },
    )
    assert response.status_code == 422 and response.json() == expected
    assert _counts() == before


def test_the_api_refusal_tells_a_stranger_nothing(service, other_service):
    kase = Kase(service, "send")
    api = token_client(other_service.coordinator)
    assert api.get(f"/cases/{kase.case.pk}/willingness").status_code == 404


@pytest.mark.parametrize("kind", ["civil", "workplace"])
def test_the_api_invites_on_civil_and_workplace_cases(service, kind):
    kase = Kase(service, kind)
    api = token_client(service.coordinator)
    base = f"/cases/{kase.case.pk}/willingness"
    response = api.post(f"{base}/invitations", {"participant_id": kase.other.pk})
    assert response.status_code == 201, response.json()
    assert api.get(base).json()["state"] == "awaiting_answer"
