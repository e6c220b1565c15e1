"""Agreement wording per kind group: built-in defaults, versions saved by service admins."""

from __future__ import annotations

import pytest

from accord.agreements import selectors, services
from accord.agreements.models import Agreement, AgreementTemplate
from accord.agreements.tests.helpers import prepare
from accord.audit.models import AuditEvent
from accord.core.errors import NotFoundOrHidden, ValidationFailed

pytestmark = pytest.mark.django_db


def _save(service, body="{{service}} and {{parties}}", actor=None, **kw):
    return services.agreement_template_save(
        actor=actor or service.admin,
        organisation=service.organisation,
        kind_group=kw.pop("kind_group", "family"),
        title=kw.pop("title", "Our Agreement"),
        body=body,
    )


def test_each_kind_group_has_a_built_in_wording_with_the_domain_content(service):
    current = selectors.templates_for_admin(
        user=service.admin, organisation_id=service.organisation.pk
    )
    assert [w.kind_group for w in current] == ["family", "send", "civil", "workplace"]
    assert all(w.version == 0 and w.is_builtin for w in current)
    family, send, civil, _ = (w.body for w in current)
    for words in ("voluntary", "information, not advice", "significant harm", "open"):
        assert words in family
    for words in ("No recording", "Child consultation", "Fees", "Data protection", "Complaints"):
        assert words.lower() in family.lower()
    for words in ("Courtesy", "Confidentiality", "Without prejudice", "Authority to settle"):
        assert words in send
    assert "Good faith" in civil and "Authority to settle" in civil
    assert services.kind_group_for("community") == "civil"
    assert services.kind_group_for("family_finance") == "family"


def test_saving_makes_a_new_version_each_time_and_never_changes_the_old(service):
    first = _save(service, "First {{service}}")
    second = _save(service, "Second {{ service }}")
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.body == "First {{service}}"
    current = selectors.template_current(
        organisation_id=service.organisation.pk, kind_group="family"
    )
    assert current.version == 2 and current.body == "Second {{ service }}"
    history = selectors.template_history(
        user=service.admin, organisation_id=service.organisation.pk, kind_group="family"
    )
    assert [t.version for t in history] == [2, 1]
    old = selectors.template_version_get(
        user=service.admin, organisation_id=service.organisation.pk, kind_group="family", version=1
    )
    assert old.body == "First {{service}}"
    assert AuditEvent.objects.filter(action="agreements.template_saved").count() == 2


def test_unknown_placeholders_and_empty_fields_are_field_errors(service):
    with pytest.raises(ValidationFailed) as caught:
        _save(service, "Dear {{ case.delete }}, {{service}}")
    assert "{{case.delete}}" in caught.value.field_errors["body"][0]
    with pytest.raises(ValidationFailed) as caught:
        _save(service, "  ", title="")
    assert set(caught.value.field_errors) == {"title", "body"}
    assert not AgreementTemplate.objects.exists()


def test_only_a_service_admin_of_that_service_edits_or_sees_versions(service, other_service):
    for actor in (service.coordinator, service.mediator, service.parties["alice"]):
        with pytest.raises(NotFoundOrHidden):
            _save(service, actor=actor)
    with pytest.raises(NotFoundOrHidden):
        _save(service, actor=other_service.admin)
    with pytest.raises(NotFoundOrHidden):
        selectors.template_history(
            user=other_service.admin, organisation_id=service.organisation.pk, kind_group="family"
        )
    assert not AgreementTemplate.objects.exists()


def test_an_agreement_freezes_the_current_version_with_placeholders_filled(service):
    _save(
        service,
        "## Terms\n{{parties}} agree with {{service}} on {{case_reference}}; {{mediators}}.",
    )
    agreement = prepare(service)
    packet = agreement.packet
    assert agreement.template_version == 1 and agreement.kind_group == "family"
    assert packet.title == "Our Agreement"
    assert packet.text == (
        f"## Terms\nAlice Smith and Bob Jones agree with Riverside Family Mediation on "
        f"{service.case.reference}; ACC Mediator."
    )
    _save(service, "Changed {{service}}")
    packet.refresh_from_db()
    assert "Changed" not in packet.text
    assert Agreement.objects.get().template_version == 1


def test_injection_attempts_in_the_wording_stay_inert_text(service):
    _save(service, "{% load static %}{% now 'Y' %}\n\n<script>alert('x')</script> {{service}}")
    agreement = prepare(service)
    assert "{% load static %}" in agreement.packet.text
    assert "<script>" in agreement.packet.text  # kept as typed, escaped whenever shown
