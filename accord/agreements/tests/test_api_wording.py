"""The service's Agreement to Mediate wording through the API: service admins read, preview and
save versions through the pages' selectors and service; anyone else gets 404 and nothing is
saved; bad wording is a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from accord.agreements.models import AgreementTemplate
from accord.agreements.tests.helpers import prepare
from accord.api.tests.conftest import token_client
from accord.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BODY = "## Our terms\n\n{{service}} mediates between {{parties}} on {{case_reference}}."


def test_the_admin_reads_previews_saves_and_cases_use_the_new_version(service: Any) -> None:
    admin = token_client(service.admin)
    listed = admin.get("/agreement-templates")
    assert listed.status_code == 200
    assert [(w["kind_group"], w["version"], w["is_builtin"]) for w in listed.json()] == [
        ("family", 0, True),
        ("send", 0, True),
        ("civil", 0, True),
        ("workplace", 0, True),
    ]
    preview = admin.post("/agreement-templates/family/preview", {"title": "Ours", "body": BODY})
    assert preview.status_code == 200
    assert preview.json()["text"].endswith(
        f"{service.organisation.name} mediates between Alex Example and Sam Example on "
        "ABC-2026-000123."
    )
    assert not AgreementTemplate.objects.exists()
    saved = admin.post("/agreement-templates/family/versions", {"title": "Ours", "body": BODY})
    assert saved.status_code == 201, saved.json()
    assert saved.json()["version"] == 1 and saved.json()["saved_by"]
    row = AgreementTemplate.objects.get()
    assert (row.organisation, row.kind_group, row.body) == (service.organisation, "family", BODY)
    event = AuditEvent.objects.get(action="agreements.template_saved")
    assert event.details == {"kind_group": "family", "version": 1}
    again = admin.post("/agreement-templates/family/versions", {"title": "Ours 2", "body": BODY})
    assert again.json()["version"] == 2
    history = admin.get("/agreement-templates/family/versions").json()
    assert [v["version"] for v in history] == [2, 1]
    assert admin.get("/agreement-templates/family/versions/1").json()["title"] == "Ours"
    builtin = admin.get("/agreement-templates/family/versions/0").json()
    assert builtin["is_builtin"] is True and "voluntary" in builtin["body"]
    # A case prepares its agreement from the newest version.
    agreement = prepare(service)
    assert agreement.template_version == 2


@pytest.mark.parametrize("who", ["coordinator", "mediator", "party", "other_admin"])
def test_anyone_but_the_service_admin_gets_404_and_nothing_is_saved(
    service: Any, other_service: Any, who: str
) -> None:
    user = {
        "coordinator": service.coordinator,
        "mediator": service.mediator,
        "party": service.parties["alice"],
        "other_admin": other_service.admin,
    }[who]
    token_client(service.admin).post(
        "/agreement-templates/family/versions", {"title": "Ours", "body": BODY}
    )
    client = token_client(user)
    events = AuditEvent.objects.count()
    if who != "other_admin":
        assert client.get("/agreement-templates").status_code == 404
        assert client.get("/agreement-templates/family/versions/1").status_code == 404
    else:
        # Another service's admin sees their own service's wording, never this one's.
        assert all(w["version"] == 0 for w in client.get("/agreement-templates").json())
        assert client.get("/agreement-templates/family/versions/1").status_code == 404
    if who != "other_admin":
        saved = client.post("/agreement-templates/family/versions", {"title": "X", "body": BODY})
        assert saved.status_code == 404
        assert AgreementTemplate.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_bad_wording_names_the_field_and_saves_nothing(service: Any) -> None:
    admin = token_client(service.admin)
    events = AuditEvent.objects.count()
    unknown = {"title": "Ours", "body": "Hello {{secret_address}}"}
    for path in ("/agreement-templates/family/versions", "/agreement-templates/family/preview"):
        answer = admin.post(path, unknown)
        assert answer.status_code == 422
        assert "Unknown placeholder {{secret_address}}" in answer.json()["errors"]["body"][0]
    blank = admin.post("/agreement-templates/family/versions", {"title": "  ", "body": BODY})
    assert blank.status_code == 422 and "title" in blank.json()["errors"]
    long = admin.post("/agreement-templates/family/versions", {"title": "x" * 201, "body": BODY})
    assert long.status_code == 422 and "title" in long.json()["errors"]
    kind = admin.post("/agreement-templates/family-ish/versions", {"title": "Ours", "body": BODY})
    assert kind.status_code == 422 and "kind_group" in kind.json()["errors"]
    assert not AgreementTemplate.objects.exists()
    assert AuditEvent.objects.count() == events
