"""Issue 15, item 5: an invoice's or credit note's PDF is rendered before the short transaction
that numbers and stores it. The number it shows is the one it takes: an invoice overtaken by
another issue while it renders is rendered again with the next number, and a render that fails
takes no number at all (no gaps, no duplicates)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.documents import rendering
from accord.documents.tests.pdftext import pdf_text
from accord.documents.tests.render_spy import spy_on_renders
from accord.fees import services
from accord.fees.models import Invoice, InvoiceCounter
from accord.fees.tests.test_fees import family  # noqa: F401 (a fixture)
from accord.fees.tests.test_numbering import drafts  # noqa: F401 (two parties' drafts)


def _text(invoice: Invoice) -> str:
    version = invoice.document_version
    assert version is not None
    with version.content.open("rb") as handle:
        return " ".join(pdf_text(handle.read()).split())


@pytest.mark.django_db(transaction=True)
def test_invoice_and_credit_note_pdfs_are_rendered_outside_any_transaction(
    family: Any,  # noqa: F811
    service: Any,
    monkeypatch: Any,
) -> None:
    draft = services.invoices_raise(actor=service.coordinator, case=family)[0]
    seen = spy_on_renders(monkeypatch)

    invoice = services.invoice_issue(actor=service.coordinator, invoice=draft)
    note = services.credit_note_issue(
        actor=service.coordinator, invoice=invoice, amount="10.00", reason="Shorter session"
    )

    assert seen == [False, False]
    assert (invoice.number, note.number) == (1, 2)
    assert "INV-00001" in _text(invoice)
    assert "CN-00002" in _text(note) and "Corrects invoice INV-00001" in _text(note)


@pytest.mark.django_db
def test_an_invoice_overtaken_while_it_renders_is_rendered_again_with_the_next_number(
    drafts: Any,  # noqa: F811
    monkeypatch: Any,
) -> None:
    service, (first, second) = drafts
    overtaking: list[Invoice] = []

    def issue_the_other_first(n: int) -> None:
        if n == 1:  # while `first` renders as INV-00001, someone issues `second`
            overtaking.append(services.invoice_issue(actor=service.coordinator, invoice=second))

    seen = spy_on_renders(monkeypatch, issue_the_other_first)

    issued = services.invoice_issue(actor=service.coordinator, invoice=first)

    assert len(seen) == 3  # first (discarded), second's, first again
    assert overtaking[0].number == 1 and "INV-00001" in _text(overtaking[0])
    assert issued.number == 2
    text = _text(issued)
    assert "INV-00002" in text and "INV-00001" not in text
    assert sorted(n or 0 for n in Invoice.objects.values_list("number", flat=True)) == [1, 2]
    assert issued.document_version is not None and issued.document_version.number == 1


@pytest.mark.django_db
def test_a_draft_changed_while_it_renders_is_rendered_again(
    family: Any,  # noqa: F811
    service: Any,
    monkeypatch: Any,
) -> None:
    draft = services.invoices_raise(actor=service.coordinator, case=family)[0]

    def change_the_note(n: int) -> None:
        if n == 1:
            Invoice.objects.filter(pk=draft.pk).update(note="Pay by bank transfer, please.")

    seen = spy_on_renders(monkeypatch, change_the_note)

    issued = services.invoice_issue(actor=service.coordinator, invoice=draft)

    assert len(seen) == 2
    assert "Pay by bank transfer, please." in _text(issued)


@pytest.mark.django_db
def test_a_render_that_fails_takes_no_number(
    drafts: Any,  # noqa: F811
    monkeypatch: Any,
) -> None:
    service, (first, second) = drafts

    def broken(html: str, **kwargs: Any) -> bytes:
        raise RuntimeError("WeasyPrint fell over.")

    monkeypatch.setattr(rendering, "html_to_pdf", broken)
    with pytest.raises(RuntimeError):
        services.invoice_issue(actor=service.coordinator, invoice=first)
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()
    monkeypatch.undo()

    assert services.invoice_issue(actor=service.coordinator, invoice=second).number == 1
