"""Who may see and act on deadlines, in two forms that agree: a queryset filter and object checks.

Staff see a deadline when they may see its case's workspace; a restricted (safeguarding) deadline
also needs `view_restricted` on the case. Participants see only deadlines marked visible to
participants on their own cases, never restricted ones, and never one that concerns another
participant. Acting on a deadline (meet, waive) needs `change` on the case, or `view_restricted`
for a restricted one; the deadline's owner may always resolve a deadline they can see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accord.cases import policy as case_policy
from accord.cases.models import Case, ContactMethod, Participant
from accord.deadlines.models import Deadline, DeadlineVisibility
from accord.organisations.selectors import is_service_admin


def staff_filter(user: Any) -> Q:
    """A filter on Deadline selecting exactly what `can_view` allows for this member of staff."""
    # Joins on the case rather than `case_id IN (subquery)`: see `case_policy.through`.
    workspace = case_policy.through("case", case_policy.case_filter(user, "view_workspace"))
    restricted = case_policy.through("case", case_policy.case_filter(user, "view_restricted"))
    return workspace & (Q(visibility=DeadlineVisibility.CASE) | restricted)


def can_view(user: Any, deadline: Deadline) -> bool:
    """May this member of staff see the deadline? Mirrors `staff_filter`."""
    case = deadline.case
    if not case_policy.can(user, "view_workspace", case):
        return False
    return not deadline.is_restricted or case_policy.can(user, "view_restricted", case)


def can_manage_on_case(user: Any, case: Case, visibility: str) -> bool:
    """May this user create or resolve deadlines of this visibility on the case?"""
    if visibility == DeadlineVisibility.RESTRICTED:
        return case_policy.can(user, "view_restricted", case)
    return case_policy.can(user, "change", case)


def can_resolve(user: Any, deadline: Deadline) -> bool:
    """May this user mark the deadline met or waive it?"""
    if not can_view(user, deadline):
        return False
    if deadline.owner_id == getattr(user, "pk", None):
        return True
    return can_manage_on_case(user, deadline.case, deadline.visibility)


def participant_filter(user: Any) -> Q:
    """A filter on Deadline selecting exactly what `participant_can_view` allows."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Q(pk__in=[])
    mine = Participant.objects.filter(user_id=user.pk, portal_access=True)
    return (
        Q(visible_to_participants=True, visibility=DeadlineVisibility.CASE)
        & Q(case_id__in=mine.values("case_id"))
        & (Q(concerns_participant__isnull=True) | Q(concerns_participant__in=mine.values("pk")))
    )


def participant_can_view(user: Any, deadline: Deadline) -> bool:
    """May this portal participant see the deadline? Mirrors `participant_filter`."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if not deadline.visible_to_participants or deadline.is_restricted:
        return False
    mine = {
        p.pk
        for p in Participant.objects.filter(
            user_id=user.pk, portal_access=True, case_id=deadline.case_id
        )
    }
    if not mine:
        return False
    return deadline.concerns_participant_id is None or deadline.concerns_participant_id in mine


def participant_email_recipient(deadline: Deadline) -> Any:
    """The portal user a shared deadline concerns, if email is a safe way to reach them."""
    participant = deadline.concerns_participant
    if (
        participant is None
        or not deadline.visible_to_participants
        or deadline.is_restricted
        or not participant.portal_access
        or participant.user_id is None
    ):
        return None
    methods = participant.safe_contact_methods or []
    if methods and ContactMethod.EMAIL not in methods:
        return None
    return participant.user


def can_configure(user: Any, organisation_id: int) -> bool:
    """May this user add closures and service rule rows? Service admins only."""
    return is_service_admin(user, organisation_id)
