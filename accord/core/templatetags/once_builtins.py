"""``{% csrf_token %}`` that also carries a one-time form token (see accord.core.once).

Loaded as a template builtin after Django's own, so every form that has ``{% csrf_token %}``
gets the hidden ``_once`` field without being changed, allauth's forms included.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accord.core.once import FIELD, new_token

register = template.Library()


class OnceCsrfTokenNode(CsrfTokenNode):
    """The CSRF field, then a fresh one-time token for this rendering of the form."""

    def render(self, context: Any) -> SafeString:
        html = super().render(context)
        if not html:
            return mark_safe("")
        once = format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
        return format_html("{}{}", html, once)


@register.tag
def csrf_token(parser: template.base.Parser, token: template.base.Token) -> OnceCsrfTokenNode:
    """Replaces Django's ``{% csrf_token %}``: the CSRF field and a one-time form token."""
    return OnceCsrfTokenNode()
