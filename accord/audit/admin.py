"""The audit trail in the admin: read-only, and without safeguarding-only events."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import format_html

from accord.audit.models import AuditEvent, Visibility
from accord.cases import policy
from accord.cases.models import Case
from accord.core.admin_site import OrganisationScopedAdmin, accord_admin_site


@admin.register(AuditEvent, site=accord_admin_site)
class AuditEventAdmin(OrganisationScopedAdmin):
    """Who did what and when in the service. Restricted events stay in the case's own timeline,
    where only the case team and the safeguarding lead can read them."""

    list_display = ("sequence", "occurred_at", "actor_label", "action", "target_shown", "case")
    list_filter = ("action", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("case",)
    search_fields = ("action", "request_id")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-sequence")
    fields = (
        "organisation",
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_shown",
        "case",
        "details_text",
        "request_id",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> Any:
        # Events about a case follow the case workspace's rule, like the case's own timeline.
        cases = policy.restrict(Case.objects.all(), request.user, "view_workspace")
        return (
            super()
            .get_queryset(request)
            .exclude(visibility=Visibility.RESTRICTED)
            .filter(Q(case_id__isnull=True) | Q(case_id__in=cases.values("pk")))
        )

    @admin.display(description="Details")
    def details_text(self, obj: AuditEvent) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.details, indent=2, sort_keys=True, ensure_ascii=False)
        )

    @admin.display(description="Target")
    def target_shown(self, obj: AuditEvent) -> str:
        # Older events labelled participants and cases with names (hashed into the chain, so
        # kept); the admin shows their role or kind and id instead, never a name erasure removed.
        if obj.target_type in NAMED_TARGETS:
            return f"{NAMED_TARGETS[obj.target_type]} {obj.target_id}"
        return obj.target_label


#: Target types whose labels written before names were dropped may hold a person's name.
NAMED_TARGETS = {
    "cases.participant": "Participant",
    "cases.case": "Case",
    "intake.child": "Child",
    "accounts.user": "User",
}
