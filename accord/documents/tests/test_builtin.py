"""Templates shipped with the code: used when no database row has the code, overridden by one."""

from __future__ import annotations

import pytest

from accord.documents import builtin, services
from accord.documents.models import DocumentTemplate
from accord.documents.tests.pdftext import pdf_text


@pytest.fixture
def shipped_letter():
    builtin.register(
        code="test-shipped-letter",
        name="Shipped letter",
        kind="html",
        version=2,
        template_name="documents/tests/builtin_letter.html",
    )
    yield builtin.builtin("test-shipped-letter", "html")
    builtin._REGISTRY.pop(("test-shipped-letter", "html"), None)


def _render(service):
    return services.document_render_pdf(
        actor=service.mediator,
        case=service.case,
        template_code="test-shipped-letter",
        context={"recipient": "Alice Green"},
        title="Shipped letter",
    )


def test_the_shipped_template_is_used_and_recorded_with_its_version(service, shipped_letter):
    version = _render(service)
    assert (version.template_code, version.template_version) == ("test-shipped-letter", 2)
    text = pdf_text(version.content.open("rb").read())
    assert "Shipped wording for Alice Green" in text
    assert service.organisation.name in text


def test_a_service_row_overrides_the_shipped_template(service, shipped_letter):
    DocumentTemplate.objects.create(
        organisation=service.organisation,
        code="test-shipped-letter",
        name="Own",
        kind="html",
        version=1,
        body="<p>Own wording for {{ recipient }}</p>",
    )
    version = _render(service)
    assert version.template_version == 1
    assert "Own wording for Alice Green" in pdf_text(version.content.open("rb").read())


def test_registering_a_different_template_under_a_taken_code_fails(shipped_letter):
    with pytest.raises(ValueError, match="test-shipped-letter"):
        builtin.register(
            code="test-shipped-letter",
            name="Other",
            kind="html",
            version=3,
            template_name="documents/tests/builtin_letter.html",
        )


def test_an_unknown_code_is_a_clear_error(service):
    from accord.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="no active HTML template"):
        services.document_render_pdf(
            actor=service.mediator,
            case=service.case,
            template_code="nothing-like-this",
            context={},
            title="x",
        )
