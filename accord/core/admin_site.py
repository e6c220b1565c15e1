"""The Django admin as a tool for service admins, confined to the services they administer.

Who gets in: active users holding the service admin role somewhere, and platform superusers.
What they see: every ModelAdmin here filters its queryset to the administered services and
checks each object, so another service's objects answer 404 by URL, never their data.
Signing in goes through allauth (with two-factor), not the admin's own password-only form.
Writes go through the domain services: `ServiceModelForm` makes the service call while the
form is validated, inside the admin's transaction, so the service's own errors show on the
form and its audit event is written with the change.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from accord.core.errors import DomainError, ValidationFailed
from accord.organisations.models import Membership, Organisation, Role
from accord.organisations.selectors import is_service_admin, staff_organisation_ids


def admin_organisation_ids(user: Any) -> list[int] | None:
    """Ids of the services the user administers; None means every service (superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return [org_id for org_id in staff_organisation_ids(user) if is_service_admin(user, org_id)]


class AccordAdminSite(admin.AdminSite):
    """The admin site for service admins and platform superusers."""

    site_header = "Accord service administration"
    site_title = "Accord administration"
    index_title = "Your mediation service"
    site_url = "/"

    def has_permission(self, request: HttpRequest) -> bool:
        ids = admin_organisation_ids(request.user)
        return ids is None or bool(ids)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Sign-in is allauth's (with two-factor); the admin never shows its own form."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            # Signed in but not an admin: back to their own pages, not a sign-in loop.
            return redirect("home")
        return redirect_to_login(
            reverse("admin:index", current_app=self.name), login_url=settings.LOGIN_URL
        )


accord_admin_site = AccordAdminSite(name="admin")


class ServiceModelForm(forms.ModelForm):
    """A model form whose save is a domain service call, made while the form is validated.

    `service_save` is bound per request by `ServiceBackedAdmin.get_form`. Calling it during
    `clean()` lets a refused change show the service's own messages on the form; the admin's
    transaction wraps the whole request, so nothing is half-saved.
    """

    service_save: Callable[[dict[str, Any]], models.Model]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.instance = self.service_save(cleaned)
        except ValidationFailed as exc:
            placed = False
            for field, messages in exc.field_errors.items():
                if field in self.fields:
                    self.add_error(field, messages)
                    placed = True
            if not placed:
                self.add_error(None, [exc.message, *chain(*exc.field_errors.values())])
        except DomainError as exc:
            self.add_error(None, exc.message)
        return cleaned

    def _post_clean(self) -> None:
        # The service validated and saved the object; Django's model validation would only
        # re-check the saved row (and report it as a duplicate of itself on add).
        return None


class OrganisationScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin that shows and allows only what belongs to the administered services."""

    #: Lookup from this model to its organisation's id.
    organisation_lookup = "organisation_id"
    allow_add = False
    allow_change = False
    list_per_page = 50
    show_full_result_count = False

    def admin_ids(self, request: HttpRequest) -> list[int] | None:
        return admin_organisation_ids(request.user)

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        ids = self.admin_ids(request)
        if ids is None:
            return qs
        return qs.filter(**{f"{self.organisation_lookup}__in": ids})

    def owns(self, request: HttpRequest, obj: Any) -> bool:
        """The user administers the service this object belongs to."""
        if not self.admin_site.has_permission(request):
            return False
        if obj is None:
            return True
        ids = self.admin_ids(request)
        if ids is None:
            return True
        org_id = obj.pk if self.organisation_lookup == "pk" else obj.organisation_id
        return org_id in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.owns(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.allow_add and self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.allow_change and self.owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing is deleted through the admin: roles are revoked, records are kept.
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """Another service's object and a missing one look the same: 404."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None or not self.owns(request, obj):
            raise Http404("No such record.")
        return obj

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        """Only the filters the page offers: no probing hidden fields through the URL."""
        offered = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.list_filter:
            if isinstance(item, str):
                offered.add(item)
            elif isinstance(item, list | tuple):
                offered.add(str(item[0]))
        if lookup.split("__")[0] not in offered:
            return False
        return super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Offer only the administered services and their own staff."""
        ids = self.admin_ids(request)
        if ids is not None:
            if db_field.related_model is Organisation:
                kwargs["queryset"] = Organisation.objects.filter(pk__in=ids)
                if len(ids) == 1:
                    kwargs["initial"] = ids[0]
            elif db_field.related_model is get_user_model():
                kwargs["queryset"] = staff_users(ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def staff_users(organisation_ids: list[int], role: str | None = None) -> Any:
    """People holding (or having held) a staff role in these services, optionally one role."""
    memberships = Membership.objects.filter(organisation_id__in=organisation_ids)
    if role is not None:
        memberships = memberships.filter(role=role, is_active=True)
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("full_name")
    )


class ServiceBackedAdmin(OrganisationScopedAdmin):
    """An admin whose adds and changes are made by a domain service (see ServiceModelForm)."""

    form = ServiceModelForm
    save_as = False

    def save_through_service(
        self, request: HttpRequest, obj: Any, data: dict[str, Any]
    ) -> models.Model:
        """Make the change through the domain service and return the saved object.

        Every subclass names its service here; there is no generic way to save.
        """
        raise NotImplementedError(f"{type(self).__name__} must say which service saves it.")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        def save(data: dict[str, Any]) -> models.Model:
            return self.save_through_service(request, obj, data)

        return type(form_class.__name__, (form_class,), {"service_save": staticmethod(save)})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Already saved by the service while the form was validated."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """These models have no inline or many-to-many data to save."""


def require_role(user: Any, organisation: Organisation, role: str, field: str) -> None:
    """Refuse a person who does not hold the role in the service (for admin choices)."""
    if (
        user is not None
        and not Membership.objects.filter(
            organisation=organisation, user=user, role=role, is_active=True
        ).exists()
    ):
        raise ValidationFailed(
            "Check the people chosen.",
            field_errors={field: [f"{user} is not a {Role(role).label.lower()} in this service."]},
        )
