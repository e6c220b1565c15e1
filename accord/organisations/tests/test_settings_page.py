"""The service settings page: a service admin's way to every setting; nobody else's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

URL = "/service/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_service_admin_finds_every_setting_from_the_navigation(service):
    client = _client(service.admin)
    home = client.get(reverse("cases:dashboard")).content.decode()
    assert f'href="{URL}"' in home and "Service settings" in home
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("deadlines:settings", "agreements:templates", "deadlines:calendar", "admin:index"):
        assert f'href="{reverse(name)}"' in html


def test_other_staff_and_parties_neither_see_the_link_nor_reach_the_page(service):
    for user in (service.coordinator, service.mediator, service.parties["alice"]):
        client = _client(user)
        start = reverse("portal:home") if user == service.parties["alice"] else "/cases/dashboard/"
        assert "Service settings" not in client.get(start).content.decode()
        assert client.get(URL).status_code == 404
