"""Choosing a password from an invitation link: single use, expiring, with clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.accounts import services
from accord.accounts.models import Invitation, User
from accord.testing.factories import staff_member

NEW_PASSWORD = "plum-orbit-lantern-42"


@pytest.fixture
def invited(service):
    """A new participant account with an unusable password and a fresh invitation link."""
    user = User.objects.create_user("dan@example.org", full_name="Dan Green")
    invitation, secret = services.invitation_create(
        actor=service.coordinator, user=user, organisation_id=service.organisation.pk
    )
    return user, invitation, secret


def _url(secret: str) -> str:
    return reverse("accounts:invitation", kwargs={"secret": secret})


def _accept(client, secret: str, password: str = NEW_PASSWORD, again: str | None = None):
    return client.post(
        _url(secret), {"password": password, "password_again": password if again is None else again}
    )


def test_invitation_page_names_the_service_and_the_sign_in_email(client, service, invited):
    _, _, secret = invited
    response = client.get(_url(secret))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverside Family Mediation" in html
    assert "dan@example.org" in html
    assert 'autocomplete="new-password"' in html
    assert response["Referrer-Policy"] == "same-origin"


def test_accepting_an_invitation_sets_the_password_signs_in_and_goes_home(client, service, invited):
    user, invitation, secret = invited
    response = _accept(client, secret)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_an_invitation_link_works_only_once(client, service, invited):
    user, _, secret = invited
    _accept(client, secret)
    client.logout()

    again = client.get(_url(secret))
    assert again.status_code == 404
    assert "Ask your mediation service to send you a new link" in again.content.decode()

    second_try = _accept(client, secret, password="another-fine-passphrase-9")
    assert second_try.status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session


def test_an_expired_invitation_shows_a_friendly_404(client, service, invited):
    user, invitation, secret = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(_url(secret))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This invitation link does not work" in html
    assert "Ask your mediation service to send you a new link" in html
    assert _accept(client, secret).status_code == 404
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_unknown_invitation_link_shows_a_friendly_404(client, db):
    response = client.get(_url("not-a-real-secret"))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_sending_a_new_invitation_stops_the_old_link(client, service, invited):
    user, _, old_secret = invited
    services.invitation_create(
        actor=service.coordinator, user=user, organisation_id=service.organisation.pk
    )
    assert client.get(_url(old_secret)).status_code == 404


def test_mismatched_passwords_are_refused_and_the_link_still_works(client, service, invited):
    user, invitation, secret = invited
    response = _accept(client, secret, again="plum-orbit-lantern-43")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The passwords do not match." in html
    assert 'href="#id_password_again"' in html
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("4829173650193", "This password is entirely numeric."),
        ("dan@example.org", "The password is too similar to the email address."),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, service, invited, password, message):
    user, invitation, secret = invited
    response = _accept(client, secret, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_empty_passwords_are_refused_with_a_message_for_each_box(client, service, invited):
    _, _, secret = invited
    response = client.post(_url(secret), {"password": "", "password_again": ""})
    html = response.content.decode()
    assert "Enter a password." in html
    assert "Type your password again." in html


def test_a_person_with_two_factor_must_still_sign_in_with_their_code(client, service):
    person = staff_member(service.organisation, "coordinator", email="eve@example.org")
    _, secret = services.invitation_create(
        actor=service.admin, user=person, organisation_id=service.organisation.pk
    )
    response = _accept(client, secret)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_the_invitation_email_is_plain_text_and_its_link_works(client, service):
    from accord.cases import services as case_services
    from accord.deadlines.models import OutboundEmail

    participant = case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="supporter",
        full_name="Siobhán O'Neill",
        email="siobhan@example.org",
    )
    case_services.participant_invite_to_portal(
        actor=service.coordinator, participant=participant, base_url="http://testserver"
    )
    body = OutboundEmail.objects.get(to_email="siobhan@example.org").body
    assert "Dear Siobhán O'Neill," in body
    assert "&#x27;" not in body
    assert "Smith" not in body and "Jones" not in body
    link = next(line for line in body.splitlines() if "/invite/" in line)
    page = client.get(link.replace("http://testserver", ""))
    assert page.status_code == 200
    assert "siobhan@example.org" in page.content.decode()
