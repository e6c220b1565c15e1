"""Issue 15, item 5: the Open Financial Statement and the consent-order pack are made (PDF and
Word) before the short transaction that stores them; a disclosure shared again while they are
made has them made again, from the new figures."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection

from accord.documents import rendering
from accord.finance import consent, services
from accord.finance.statement import statement_issue
from accord.finance.tests.test_api_actions import _mou_issued
from accord.finance.tests.test_disclosure import _both_shared


def _spy(monkeypatch: Any, during: Any = None) -> list[tuple[str, bool]]:
    """Record each PDF render and Word fill and whether it ran inside a transaction; call
    `during(n)` at the n-th PDF render."""
    seen: list[tuple[str, bool]] = []
    pdf, docx = rendering.html_to_pdf, rendering.docx_render

    def spy_pdf(html: str, **kwargs: Any) -> bytes:
        seen.append(("pdf", connection.in_atomic_block))
        if during is not None:
            during(sum(1 for kind, _ in seen if kind == "pdf"))
        return pdf(html, **kwargs)

    def spy_docx(*args: Any, **kwargs: Any) -> bytes:
        seen.append(("docx", connection.in_atomic_block))
        return docx(*args, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf", spy_pdf)
    monkeypatch.setattr(rendering, "docx_render", spy_docx)
    return seen


def _text(version: Any) -> str:
    from pypdf import PdfReader

    with version.content.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


@pytest.mark.django_db(transaction=True)
def test_the_statement_and_the_pack_are_made_outside_any_transaction(
    service: Any, fin: Any, monkeypatch: Any
) -> None:
    _both_shared(service, fin)
    _mou_issued(service, fin)
    seen = _spy(monkeypatch)

    pdf, docx = statement_issue(actor=service.mediator, case=fin.case)
    pack, order = consent.consent_pack_prepare(actor=service.mediator, case=fin.case)

    assert seen == [("pdf", False), ("docx", False)] * 2
    assert (pdf.content_type, docx.document.code) == (
        "application/pdf",
        "open-financial-statement-docx",
    )
    assert (pack.number, order.number) == (1, 1)


@pytest.mark.django_db
def test_a_disclosure_shared_again_while_the_statement_is_made_is_made_again(
    service: Any, fin: Any, monkeypatch: Any
) -> None:
    _both_shared(service, fin)  # Ben added an item after sharing

    def ben_shares_again(n: int) -> None:
        if n == 1:
            services.disclosure_share(actor=fin.b_user, case=fin.case, participant=fin.b)

    seen = _spy(monkeypatch, ben_shares_again)

    pdf, docx = statement_issue(actor=service.mediator, case=fin.case)

    assert [kind for kind, _ in seen] == ["pdf", "docx", "pdf", "docx"]
    text = _text(pdf).replace("- ", "-")  # the narrow column wraps the name at its hyphens
    assert "BEN-UNSHARED-LATER" in text and "£412,345.68" in text
    assert (pdf.number, docx.number) == (1, 1)  # the first files were discarded, not stored


@pytest.mark.django_db
def test_a_disclosure_shared_again_while_the_pack_is_made_has_it_made_again(
    service: Any, fin: Any, monkeypatch: Any
) -> None:
    _both_shared(service, fin)
    _mou_issued(service, fin)
    statement_issue(actor=service.mediator, case=fin.case)

    def ben_shares_again(n: int) -> None:
        if n == 1:
            services.disclosure_share(actor=fin.b_user, case=fin.case, participant=fin.b)

    seen = _spy(monkeypatch, ben_shares_again)

    pack, order = consent.consent_pack_prepare(actor=service.mediator, case=fin.case)

    assert [kind for kind, _ in seen] == ["pdf", "docx", "pdf", "docx"]
    assert (pack.number, order.number) == (1, 1)
