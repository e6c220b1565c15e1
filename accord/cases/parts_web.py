"""The page a staff view answers when asked for a part that does not apply to the case's kind.

A view behind a part's link (book a MIAM, record funding, invite the other party...) checks the
part first, so that someone following an old link or typing the address is told plainly why the
page is not there, rather than shown a form whose service would refuse it anyway::

    refused = part_refusal_page(request, case, "miam")
    if refused:
        return refused
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.cases import kinds
from accord.cases.models import Case
from accord.cases.progress import part_applies


def part_refusal_page(request: HttpRequest, case: Case, code: str) -> HttpResponse | None:
    """None when the part applies to the case; otherwise a 404 page giving the refusal."""
    if part_applies(case, code):
        return None
    return render(
        request,
        "cases/part_not_applicable.html",
        {
            "case": case,
            "nav": "cases",
            "part": kinds.part(code),
            "message": kinds.refusal(case.kind, code),
        },
        status=404,
    )
