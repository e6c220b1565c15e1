"""A spy on WeasyPrint renders for the "rendered outside the transaction" tests (issue 15)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from accord.documents import rendering


def spy_on_renders(monkeypatch: Any, during: Any = None) -> list[bool]:
    """Record whether each PDF render runs inside a transaction; call `during(n)` at the n-th
    render, before it runs (to change what is being rendered, as another request would)."""
    seen: list[bool] = []
    real = rendering.html_to_pdf

    def spy(html: str, **kwargs: Any) -> bytes:
        seen.append(connection.in_atomic_block)
        if during is not None:
            during(len(seen))
        return real(html, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf", spy)
    return seen
