"""The dashboard's work queues panel: `{% load queue_tags %}{% queues_panel %}`."""

from __future__ import annotations

from typing import Any

from django import template

from accord.queues.selectors import queue_counts

register = template.Library()


@register.inclusion_tag("queues/_panel.html", takes_context=True)
def queues_panel(context: template.Context) -> dict[str, Any]:
    """The signed-in member of staff's queues with their counts, each linking to its list."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "counts": queue_counts(user=user),
        "is_service_admin": context.get("is_service_admin", False),
    }
