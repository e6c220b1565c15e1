"""Admin pages for a service's own details, staff roles and mediator profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.core.admin_site import (
    ServiceBackedAdmin,
    accord_admin_site,
    require_role,
    staff_users,
)
from accord.core.errors import ValidationFailed
from accord.organisations import services
from accord.organisations.models import MediatorProfile, Membership, Organisation, Role


@admin.register(Organisation, site=accord_admin_site)
class OrganisationAdmin(ServiceBackedAdmin):
    """The service's own details; services are created by the platform, never here."""

    organisation_lookup = "pk"
    allow_change = True
    list_display = ("name", "slug", "reference_prefix", "region", "email")
    fields = ("name", "slug", "reference_prefix", "region", "email", "phone", "address")
    readonly_fields = ("slug",)

    def save_through_service(
        self, request: HttpRequest, obj: Any, data: dict[str, Any]
    ) -> Organisation:
        return services.organisation_update(
            actor=request.user,
            organisation=obj,
            **{name: data[name] for name in services.ORGANISATION_FIELDS if name in data},
        )


@admin.register(Membership, site=accord_admin_site)
class MembershipAdmin(ServiceBackedAdmin):
    """Staff roles: grant a role to someone already on the staff, or withdraw one."""

    allow_add = True
    allow_change = True
    list_display = ("user", "role", "is_active", "organisation", "created_at")
    list_filter = ("role", "is_active", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "organisation")
    search_fields = ("user__full_name", "user__email")
    ordering = ("organisation", "user__full_name", "role")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("organisation", "user", "role")
        return ("organisation", "user", "role", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else ("organisation", "user", "role")

    def save_through_service(
        self, request: HttpRequest, obj: Any, data: dict[str, Any]
    ) -> Membership:
        if obj is None:
            existing = Membership.objects.filter(
                organisation=data["organisation"], user=data["user"], role=data["role"]
            ).first()
            if existing is not None and existing.is_active:
                raise ValidationFailed(
                    "Nothing to add.",
                    field_errors={"role": [f"{data['user']} already holds this role."]},
                )
            return services.membership_grant(
                actor=request.user,
                organisation=data["organisation"],
                user=data["user"],
                role=data["role"],
            )
        if data["is_active"] and not obj.is_active:
            return services.membership_grant(
                actor=request.user, organisation=obj.organisation, user=obj.user, role=obj.role
            )
        if not data["is_active"] and obj.is_active:
            return services.membership_revoke(actor=request.user, membership=obj)
        return obj


@admin.register(MediatorProfile, site=accord_admin_site)
class MediatorProfileAdmin(ServiceBackedAdmin):
    """A mediator's FMC registration number, accreditation and supervisor (PPC)."""

    allow_add = True
    allow_change = True
    list_display = ("user", "fmc_urn", "accreditation", "supervisor", "organisation")
    list_filter = ("accreditation", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "supervisor", "organisation")
    search_fields = ("user__full_name", "fmc_urn")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("organisation", "user", "fmc_urn", "accreditation", "supervisor")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else ("organisation", "user")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        ids = self.admin_ids(request)
        if ids is not None and db_field.name == "user":
            kwargs["queryset"] = staff_users(ids, Role.MEDIATOR)
        elif ids is not None and db_field.name == "supervisor":
            kwargs["queryset"] = staff_users(ids, Role.SUPERVISOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_through_service(
        self, request: HttpRequest, obj: Any, data: dict[str, Any]
    ) -> MediatorProfile:
        organisation = obj.organisation if obj is not None else data["organisation"]
        user = obj.user if obj is not None else data["user"]
        if (
            obj is None
            and MediatorProfile.objects.filter(organisation=organisation, user=user).exists()
        ):
            raise ValidationFailed(
                "Nothing to add.",
                field_errors={"user": [f"{user} already has a profile: change that one."]},
            )
        require_role(user, organisation, Role.MEDIATOR, "user")
        require_role(data.get("supervisor"), organisation, Role.SUPERVISOR, "supervisor")
        return services.mediator_profile_set(
            actor=request.user,
            organisation=organisation,
            user=user,
            fmc_urn=data.get("fmc_urn") or "",
            accreditation=data["accreditation"],
            supervisor=data.get("supervisor"),
        )
