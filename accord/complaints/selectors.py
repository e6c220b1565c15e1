"""Reading complaints for one user, through the complaints policy (404 for the rest)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.complaints import policy
from accord.complaints.models import Complaint
from accord.core.errors import NotFoundOrHidden


def _base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "organisation", "case", "complainant", "about_staff", "recorded_by"
    )


def complaints_for_staff(*, user: Any, organisation_id: int | None = None) -> QuerySet[Complaint]:
    """The complaints this member of staff may see, newest first."""
    qs = _base().filter(policy.staff_filter(user))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-received_on", "-id")


def complaint_get_for_staff(*, user: Any, complaint_id: Any) -> Complaint:
    try:
        return _base().filter(policy.staff_filter(user)).get(pk=int(complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such complaint.") from None


def complaints_for_party(*, user: Any) -> QuerySet[Complaint]:
    """A complainant's own complaints (made from the portal or recorded for them)."""
    return _base().filter(policy.party_filter(user)).order_by("-received_on", "-id")


def complaint_get_for_party(*, user: Any, complaint_id: Any) -> Complaint:
    try:
        return _base().filter(policy.party_filter(user)).get(pk=int(complaint_id))
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such complaint.") from None


def open_complaints_due(*, user: Any) -> QuerySet[Complaint]:
    """Open complaints the user handles, soonest target first (the work queue)."""
    return (
        complaints_for_staff(user=user)
        .filter(responded_on__isnull=True, erased_at__isnull=True)
        .exclude(about_staff_id=getattr(user, "pk", None))
        .order_by("acknowledge_due", "id")
    )
