"""Template filters for the staff case pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from accord.cases.models import ContactMethod

register = template.Library()

_CONTACT_LABELS = dict(ContactMethod.choices)


@register.filter
def contact_methods(codes: Iterable[str]) -> str:
    """Safe contact method codes as a readable list, e.g. "Email, Text message"."""
    return ", ".join(str(_CONTACT_LABELS.get(code, code)) for code in codes)
