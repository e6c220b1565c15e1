"""Signing in: email and password, the two-factor step for staff, throttling and closed sign-up."""

from __future__ import annotations

from django.urls import reverse

from accord.deadlines.delivery import outbox_deliver_due
from accord.testing.factories import TEST_PASSWORD, staff_member, totp_code

LOGIN = reverse("account_login")


def _sign_in(client, email: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def _signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_sign_in_page_uses_accords_layout_and_never_offers_sign_up(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in \u2013 Accord</title>" in html
    assert 'class="skip-link"' in html
    assert 'autocomplete="username"' in html
    assert reverse("account_signup") not in html
    assert "sign up" not in html.lower()
    assert "placeholder" not in html


def test_sign_up_page_explains_that_accounts_are_by_invitation(client, db):
    response = client.get(reverse("account_signup"))
    html = response.content.decode()
    assert "Accounts are made by invitation" in html
    main = html.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert "<form" not in main


def test_a_party_signs_in_with_email_and_password_and_lands_on_the_portal(client, service):
    bob = service.parties["bob"]
    response = _sign_in(client, bob.email)
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(bob.pk)
    assert client.get(response["Location"])["Location"] == reverse("portal:home")


def test_a_wrong_password_is_refused_with_a_clear_message(client, service):
    response = _sign_in(client, service.parties["bob"].email, "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "email address and/or password you specified are not correct" in html
    assert "<title>Error: Sign in \u2013 Accord</title>" in html
    assert _signed_in_user_id(client) is None


def test_after_a_few_failed_attempts_this_device_must_wait_even_with_the_right_password(
    client, service
):
    bob = service.parties["bob"]
    for _ in range(4):
        assert _sign_in(client, bob.email, "wrong-password-guess").status_code == 200
    response = _sign_in(client, bob.email)
    assert response.status_code == 200
    assert "Too many wrong passwords from this device. Wait a minute" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_failed_attempts_on_one_account_do_not_lock_out_another(client, service):
    for _ in range(5):
        _sign_in(client, service.parties["bob"].email, "wrong-password-guess")
    carol = service.parties["carol"]
    _sign_in(client, carol.email)
    assert _signed_in_user_id(client) == str(carol.pk)


def test_staff_sign_in_needs_the_two_factor_code(client, service):
    mediator = service.mediator
    response = _sign_in(client, mediator.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert _signed_in_user_id(client) is None

    page = client.get(reverse("mfa_authenticate"))
    assert "Enter your security code" in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    assert _signed_in_user_id(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert _signed_in_user_id(client) == str(mediator.pk)


def test_a_reused_two_factor_code_says_it_was_used_and_to_wait_for_the_next(client, service):
    mediator = service.mediator
    code = totp_code()
    _sign_in(client, mediator.email)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()

    _sign_in(client, mediator.email)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    body = again.content.decode()
    assert "This code has already been used" in body
    assert "Wait for your authenticator app to show the next code" in body
    assert "Incorrect code" not in body
    assert _signed_in_user_id(client) is None


def test_the_two_factor_step_cannot_be_skipped(client, service):
    _sign_in(client, service.mediator.email)
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_staff_without_two_factor_are_sent_to_set_it_up(client, service):
    newcomer = staff_member(service.organisation, "coordinator", email="new@example.org", mfa=False)
    response = _sign_in(client, newcomer.email)
    assert _signed_in_user_id(client) == str(newcomer.pk)
    for url in (reverse("home"), reverse("accounts:settings"), reverse("portal:home")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")

    # allauth asks for the password again before any two-factor change, even just after sign-in.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    assert "Confirm it is you" in client.get(confirm["Location"]).content.decode()
    client.post(confirm["Location"], {"password": TEST_PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Staff must use two-factor authentication" in html
    secret = page.context["form"].secret
    assert secret in html

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123456"})
    assert "Incorrect code" in wrong.content.decode()
    assert client.get(reverse("accounts:settings")).status_code == 302

    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(done["Location"])
    assert "Your recovery codes" in codes.content.decode()
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_two_factor_settings_page_shows_the_app_is_on(client, service):
    client.force_login(service.mediator)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "Two-factor authentication" in html
    assert "Turn off the authenticator app" in html
    assert "Staff must use two-factor authentication" in html


def test_password_reset_pages_use_accords_wording(client, service, mailoutbox):
    page = client.get(reverse("account_reset_password"))
    assert "Reset your password" in page.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "Check your email" in done.content.decode()
    outbox_deliver_due()
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "Accounts are made by invitation" in body
    assert "sign up" not in body.lower()
    assert mailoutbox[0].subject == "Accord: Password reset: no account found"


def test_password_reset_link_lets_a_party_choose_a_new_password(client, service, mailoutbox):
    bob = service.parties["bob"]
    client.post(reverse("account_reset_password"), {"email": bob.email})
    assert mailoutbox == []  # written to the outbox; the worker delivers it
    outbox_deliver_due()
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/key/" in line)
    form_page = client.get(link.strip(), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0]
    weak = client.post(action, {"password1": "password123", "password2": "password123"})
    assert "This password is too common." in weak.content.decode()
    ok = client.post(
        action, {"password1": "tidal-marble-fox-88", "password2": "tidal-marble-fox-88"}
    )
    assert ok.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("tidal-marble-fox-88")


def test_changing_password_checks_the_rules(client, service):
    bob = service.parties["bob"]
    _sign_in(client, bob.email)
    url = reverse("account_change_password")
    assert "Change your password" in client.get(url).content.decode()
    mismatch = client.post(
        url,
        {"oldpassword": TEST_PASSWORD, "password1": "tidal-marble-fox-88", "password2": "other"},
    )
    assert "You must type the same password each time" in mismatch.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(TEST_PASSWORD)


def test_the_email_page_is_closed_because_the_service_keeps_the_address(client, service):
    client.force_login(service.parties["bob"])
    response = client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings")
    response = client.post(
        reverse("account_email"), {"email": "evil@example.org", "action_add": ""}
    )
    assert response.status_code == 302
    assert not service.parties["bob"].emailaddress_set.filter(email="evil@example.org").exists()


def test_empty_sign_in_says_what_to_enter(client, db):
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "Enter your email address." in html
    assert "Enter your password." in html
    assert "This field is required." not in html
    assert 'href="#id_login"' in html
