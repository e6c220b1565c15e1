"""Who may use which room of a case: one rule, as a filter and as a check that always agree.

- The case's mediators (lead and co-mediator, while still active staff of the service) use every
  room of the case.
- A party (a participant whose role is in ``PARTY_ROLES`` and who has portal access) uses the
  joint room and their own private room.
- Nobody else reads a room: not the supervisor (private rooms are "that party and the case's
  mediators", DOMAIN.md section 3), not coordinators, admins or the safeguarding lead, and not
  participants who are not parties (solicitors, supporters, observers).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_room_mediator(user: Any, case: Case) -> bool:
    """Is the user the lead or co-mediator of the case, and still active staff of its service?"""
    if not _signed_in(user):
        return False
    if user.pk not in (case.lead_mediator_id, case.co_mediator_id):
        return False
    # The case policy checks the membership is live, so a withdrawn role takes effect at once.
    return case_policy.can(user, "view_workspace", case)


def party_ids(user: Any, case: Case) -> set[int]:
    """The participant ids through which the user is a party of the case with portal access."""
    if not _signed_in(user):
        return set()
    # Most staff take part in no case; the case policy has already asked (and cached) that.
    if not case_policy._takes_part_anywhere(user):
        return set()
    return set(
        Participant.objects.filter(
            case=case, user_id=user.pk, portal_access=True, role__in=PARTY_ROLES
        ).values_list("pk", flat=True)
    )


def room_filter(user: Any, case: Case) -> Q:
    """A filter selecting exactly the rooms of the case the user may use."""
    return access_filter(is_room_mediator(user, case), party_ids(user, case), case)


def access_filter(mediator: bool, parties: set[int], case: Case) -> Q:
    """`room_filter` for a user whose standing (`is_room_mediator`, `party_ids`) is known."""
    if mediator:
        return Q(case_id=case.pk)
    if not parties:
        return Q(pk__in=[])
    return Q(case_id=case.pk) & (Q(kind="joint") | Q(kind="private", party_id__in=parties))


def can_use_room(user: Any, room: Any) -> bool:
    """May the user read and write in this room? Mirrors `room_filter`."""
    case = room.case
    if is_room_mediator(user, case):
        return True
    parties = party_ids(user, case)
    if not parties:
        return False
    return room.kind == "joint" or room.party_id in parties
