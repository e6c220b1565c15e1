"""Template filters for the staff case pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from accord.cases import kinds
from accord.cases.kinds import KindSpec
from accord.cases.models import Case, ContactMethod
from accord.cases.progress import part_applies

register = template.Library()

_CONTACT_LABELS = dict(ContactMethod.choices)


@register.filter
def contact_methods(codes: Iterable[str]) -> str:
    """Safe contact method codes as a readable list, e.g. "Email, Text message"."""
    return ", ".join(str(_CONTACT_LABELS.get(code, code)) for code in codes)


@register.filter
def applies(case: Case, part_code: str) -> bool:
    """Whether a part of Accord applies to this case's kind: `{% if case|applies:"miam" %}`."""
    return part_applies(case, part_code)


@register.filter
def kind_spec(case: Case) -> KindSpec:
    """The case's kind specification: `{% with spec=case|kind_spec %}`."""
    return kinds.kind_spec(case.kind)


@register.simple_tag
def workspace_url(case: Case, section: str, anchor: str = "") -> str:
    """The workspace opened on a section, for "Back to the case" links:
    `{% workspace_url case "mediation" %}`."""
    from accord.cases.workspace import section_url

    return section_url(case, section, anchor)
