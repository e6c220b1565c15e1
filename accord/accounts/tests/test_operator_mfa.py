"""Platform operators (superusers) also need two-factor before reaching anything."""

from accord.accounts.models import User
from accord.testing.factories import enable_totp


def test_superuser_without_totp_is_sent_to_set_it_up(client, db):
    operator = User.objects.create_superuser("operator@example.org", full_name="Op Erator")
    client.force_login(operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_superuser_with_totp_reaches_the_admin(client, db):
    operator = User.objects.create_superuser("operator@example.org", full_name="Op Erator")
    enable_totp(operator)
    client.force_login(operator)
    assert client.get("/admin/").status_code == 200


def test_api_refusal_for_missing_totp_uses_the_api_error_shape(client, service):
    service.coordinator.authenticator_set.all().delete()
    client.force_login(service.coordinator)
    response = client.get("/api/v1/cases")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Set up two-factor authentication before using the API.",
        "errors": {},
    }
