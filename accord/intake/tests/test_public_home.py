"""The public front page: the services, their enquiry forms, sign-in and their contacts."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse

from accord.organisations.services import organisation_update
from accord.testing.factories import build_service


def test_a_visitor_sees_each_service_its_forms_sign_in_and_contacts(client, db):
    riverside = build_service()
    hillside = build_service(
        name="Hillside Community Mediation", slug="hillside", prefix="HCM", kinds_offered=("civil",)
    )
    organisation_update(
        actor=riverside.admin,
        organisation=riverside.organisation,
        email="hello@riverside.example",
        phone="0113 496 0000",
    )

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Family Mediation" in html
    assert "Hillside Community Mediation" in html
    assert reverse("intake:public_form", args=["riverside", "family"]) in html
    assert reverse("intake:public_form", args=["hillside", "civil"]) in html
    assert reverse("intake:public_form", args=["hillside", "family"]) not in html
    assert f'href="{reverse("account_login")}"' in html
    assert 'href="mailto:hello@riverside.example"' in html
    assert 'href="tel:01134960000"' in html
    # Nothing about any case is on the public page.
    for case in [*riverside.cases.values(), *hillside.cases.values()]:
        assert case.reference not in html
        assert case.title not in html


def test_signed_in_people_still_go_to_their_dashboard_or_portal(client, service):
    client.force_login(service.coordinator)
    assert client.get("/")["Location"] == reverse("cases:dashboard")
    client.force_login(service.parties["alice"])
    assert client.get("/")["Location"] == reverse("portal:home")


def test_every_page_links_the_favicon_and_favicon_ico_answers(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert 'rel="icon" href="/static/accord/favicon.svg"' in page

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/accord/favicon.ico"
    icon = finders.find("accord/favicon.ico")
    assert icon is not None
    with open(icon, "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # the ICO signature
    assert finders.find("accord/favicon.svg") is not None
