"""Who may raise, read and act on safeguarding records.

Reading is the case policy's `view_restricted` rule: the case's lead and co-mediator, its
supervisor and the service's safeguarding lead (DOMAIN.md section 3). Raising a concern is open to
every member of staff who can open the case's workspace, because anyone may be the first to hear of
a risk; a raiser outside the restricted audience gets a confirmation, never the record.
Decisions that steer the mediation itself (the threshold decision, the self-referral offer, and
resuming or ending) belong to the case's mediators. Parties get none of this, ever.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.organisations.models import Role
from accord.organisations.selectors import roles_in, staff_in


def can_raise_concern(user: Any, case: Case) -> bool:
    """Any member of staff who can open the case's workspace may raise a concern."""
    return case_policy.can(user, "view_workspace", case)


def can_read_records(user: Any, case: Case) -> bool:
    """Safeguarding records: the case's mediators and supervisor, and the safeguarding lead."""
    return case_policy.can(user, "view_restricted", case)


def is_case_mediator(user: Any, case: Case) -> bool:
    """The case's lead or co-mediator, still on the service's staff."""
    user_id = getattr(user, "pk", None)
    if user_id is None or not getattr(user, "is_active", False):
        return False
    if user_id not in (case.lead_mediator_id, case.co_mediator_id):
        return False
    return bool(roles_in(user, case.organisation_id))


def can_decide(user: Any, case: Case) -> bool:
    """Threshold decisions, self-referral offers and resuming or ending: the case's mediators."""
    return can_read_records(user, case) and is_case_mediator(user, case)


def records_filter(user: Any, case_field: str = "case") -> Q:
    """A filter on any safeguarding model selecting the records the user may read.

    Built from the same rule as `can_read_records`, so the two always agree.
    """
    readable_cases = Case.objects.filter(case_policy.case_filter(user, "view_restricted"))
    return Q(**{f"{case_field}__in": readable_cases.values("pk")})


def restricted_audience(case: Case) -> list[Any]:
    """The people who may read the case's safeguarding records: its mediators and supervisor,
    and the service's safeguarding leads, each still active (checked through `can_read_records`).
    """
    candidates = [case.lead_mediator, case.co_mediator, case.supervisor]
    candidates += list(staff_in(case.organisation, Role.SAFEGUARDING_LEAD))
    people: dict[int, Any] = {}
    for person in candidates:
        if person is not None and person.pk not in people and can_read_records(person, case):
            people[person.pk] = person
    return list(people.values())
