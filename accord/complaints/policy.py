"""Who may see and handle complaints, as a queryset filter and object checks that agree.

A complaint belongs to the service, not the case: its admins and supervisors see every one,
except one about themselves. The member of staff complained about sees it only once an admin
shares it with them. The complainant (through their portal participation) sees their own.
Handling (acknowledging, responding, consent) is for admins and supervisors; sharing with the
subject is for admins. Nobody else, including the rest of the case team, learns of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accord.complaints.models import Complaint
from accord.organisations.models import Role
from accord.organisations.selectors import _memberships

HANDLERS = frozenset({Role.SERVICE_ADMIN, Role.SUPERVISOR})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def handler_organisations(user: Any) -> list[int]:
    """Services in which the user is an admin or supervisor."""
    if not _active(user):
        return []
    return sorted(org for org, roles in _memberships(user).items() if roles & HANDLERS)


def admin_organisations(user: Any) -> list[int]:
    if not _active(user):
        return []
    return sorted(org for org, roles in _memberships(user).items() if Role.SERVICE_ADMIN in roles)


def staff_filter(user: Any) -> Q:
    """A filter on Complaint selecting exactly what `can_view` allows for staff."""
    if not _active(user):
        return Q(pk__in=[])
    staff_orgs = sorted(_memberships(user))
    handled = Q(organisation_id__in=handler_organisations(user)) & ~Q(about_staff_id=user.pk)
    shared = Q(organisation_id__in=staff_orgs, about_staff_id=user.pk, shared_with_subject=True)
    return handled | shared


def can_view(user: Any, complaint: Complaint) -> bool:
    """May this member of staff read the complaint? Mirrors `staff_filter`."""
    if not _active(user):
        return False
    if complaint.about_staff_id == user.pk:
        return complaint.shared_with_subject and complaint.organisation_id in _memberships(user)
    return complaint.organisation_id in handler_organisations(user)


def can_handle(user: Any, complaint: Complaint) -> bool:
    """Record acknowledgement, response, consent: admins and supervisors, not the subject."""
    return (
        _active(user)
        and complaint.about_staff_id != user.pk
        and complaint.organisation_id in handler_organisations(user)
    )


def can_share(user: Any, complaint: Complaint) -> bool:
    """Share the complaint with the member of staff it is about: admins only."""
    return (
        _active(user)
        and complaint.about_staff_id != user.pk
        and complaint.organisation_id in admin_organisations(user)
    )


def party_filter(user: Any) -> Q:
    """A complainant's own complaints, through their portal participation."""
    if not _active(user):
        return Q(pk__in=[])
    return Q(complainant__user_id=user.pk, complainant__portal_access=True)


def party_can_view(user: Any, complaint: Complaint) -> bool:
    return bool(
        _active(user)
        and complaint.complainant is not None
        and complaint.complainant.user_id == user.pk
        and complaint.complainant.portal_access
    )
