"""Read-only admin pages for cases and participants: changes go through the case workspace."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.cases import policy
from accord.cases.models import Case, Participant
from accord.core.admin_site import OrganisationScopedAdmin, accord_admin_site


@admin.register(Case, site=accord_admin_site)
class CaseAdmin(OrganisationScopedAdmin):
    """Every case of the service, to look up; stage and team changes happen in the workspace."""

    list_display = ("reference", "title", "kind", "stage", "lead_mediator", "opened_at")
    list_filter = ("kind", "stage", "is_paused", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("lead_mediator",)
    search_fields = ("reference", "title")
    date_hierarchy = "opened_at"
    fields = (
        "organisation",
        "reference",
        "kind",
        "stage",
        "title",
        "summary",
        "lead_mediator",
        "co_mediator",
        "supervisor",
        "opened_at",
        "stage_changed_at",
        "closed_at",
        "is_paused",
        "created_by",
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        # The same rule as the workspace: what the user may open there, and nothing more.
        return policy.restrict(super().get_queryset(request), request.user, "view_workspace")


@admin.register(Participant, site=accord_admin_site)
class ParticipantAdmin(OrganisationScopedAdmin):
    """Participants of the service's cases; a confidential address stays with the case team."""

    list_display = ("full_name", "role", "case", "portal_access")
    list_filter = ("role", "portal_access", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("case",)
    # Names and references only: searching contact details would reveal a hidden address.
    search_fields = ("full_name", "case__reference")

    def get_queryset(self, request: HttpRequest) -> Any:
        cases = policy.restrict(Case.objects.all(), request.user, "view_workspace")
        return super().get_queryset(request).filter(case__in=cases)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [
            "case",
            "role",
            "full_name",
            "organisation_name",
            "user",
            "portal_access",
        ]
        if obj is None:
            return fields
        if policy.can_see_participant_contact(request.user, obj, obj.case):
            fields += ["email", "phone", "safe_contact_methods", "safe_contact_notes"]
            fields += ["date_of_birth", "confidential_address"]
        if policy.can_see_participant_address(request.user, obj, obj.case):
            fields.append("address")
        else:
            fields.append("address_withheld")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

    @admin.display(description="Address")
    def address_withheld(self, obj: Participant) -> str:
        return "Withheld: this is a confidential address, shown only to the case team."
