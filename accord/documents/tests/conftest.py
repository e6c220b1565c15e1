"""Fixtures for the document tests: files go to a temporary folder, and two ready templates."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from docx import Document as WordDocument

from accord.documents.models import DocumentTemplate, TemplateKind

LETTER_BODY = """{% extends "documents/letterhead_base.html" %}
{% block content %}<h1>Letter about {{ case.reference }}</h1>
<p>Dear {{ recipient }},</p><p>Your meeting is on {{ meeting_date }}.</p>{% endblock %}"""


@pytest.fixture(autouse=True)
def document_storage(settings, tmp_path):
    """Keep produced files out of the real data folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    return tmp_path / "files"


@pytest.fixture
def letter_template(db):
    """A built-in HTML letter template that extends the letterhead."""
    return DocumentTemplate.objects.create(
        code="test-letter", name="Test letter", kind=TemplateKind.HTML, body=LETTER_BODY
    )


@pytest.fixture
def docx_template(db):
    """A built-in DOCX template made with python-docx, holding docxtpl tags."""
    word = WordDocument()
    word.add_paragraph("{{ organisation.name }}")
    word.add_paragraph("Dear {{ recipient }}, your case is {{ case.reference }}.")
    buffer = BytesIO()
    word.save(buffer)
    template = DocumentTemplate(code="test-docx", name="Editable letter", kind=TemplateKind.DOCX)
    template.file.save("test-docx.docx", ContentFile(buffer.getvalue()), save=False)
    template.save()
    return template
