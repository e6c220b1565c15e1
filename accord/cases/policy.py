"""Who may do what to a case: one rule per action, in two forms that always agree.

Each action is described once (`RULES`): which service-wide roles grant it, which case-team
positions grant it (for staff still active in the case's service), and whether the case's own
portal participants get it. `case_filter` turns a rule into a queryset filter and `can` checks
one object; both read the same rule, and the policy tests check they agree on every pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import rules
from django.db.models import Q, QuerySet

from accord.organisations.models import Role
from accord.organisations.selectors import _memberships

CaseAction = Literal[
    "view",
    "view_workspace",
    "change",
    "move_stage",
    "manage_participants",
    "manage_team",
    "view_restricted",
    "view_confidential_address",
]

TEAM_FIELDS = {"lead": "lead_mediator", "co": "co_mediator", "supervisor": "supervisor"}


@dataclass(frozen=True)
class Rule:
    """Who is granted one action on a case."""

    service_roles: frozenset[str] = frozenset()
    team_positions: frozenset[str] = frozenset()
    participants: bool = False


_ORG_READERS = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR, Role.SAFEGUARDING_LEAD})
_MANAGERS = frozenset({Role.SERVICE_ADMIN, Role.COORDINATOR})
_WHOLE_TEAM = frozenset({"lead", "co", "supervisor"})
_MEDIATORS = frozenset({"lead", "co"})

RULES: dict[str, Rule] = {
    # Seeing that the case exists, its stage and what is shared: staff and its own participants.
    "view": Rule(_ORG_READERS, _WHOLE_TEAM, participants=True),
    # The staff workspace: contact details, timeline, notes.
    "view_workspace": Rule(_ORG_READERS, _WHOLE_TEAM),
    "change": Rule(_MANAGERS, _MEDIATORS),
    "move_stage": Rule(_MANAGERS, _MEDIATORS),
    "manage_participants": Rule(_MANAGERS, _MEDIATORS),
    "manage_team": Rule(_MANAGERS),
    # Screening answers, risk notes and safeguarding records (DOMAIN.md section 3).
    "view_restricted": Rule(frozenset({Role.SAFEGUARDING_LEAD}), _WHOLE_TEAM),
    # A confidential address is shown to the case team only.
    "view_confidential_address": Rule(frozenset(), _WHOLE_TEAM),
}


def _rule(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise ValueError(f"Unknown case action {action!r}.") from None


def case_filter(user: Any, action: str = "view") -> Q:
    """A filter selecting exactly the cases on which the user may perform the action."""
    rule = _rule(action)
    nothing = Q(pk__in=[])
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return nothing
    q = nothing
    for org_id, roles in _memberships(user).items():
        if roles & rule.service_roles:
            q |= Q(organisation_id=org_id)
        elif rule.team_positions:
            team_q = Q(pk__in=[])
            for position in rule.team_positions:
                team_q |= Q(**{TEAM_FIELDS[position]: user.pk})
            q |= Q(organisation_id=org_id) & team_q
    if rule.participants and _takes_part_anywhere(user):
        from accord.cases.models import Participant

        q |= Q(
            pk__in=Participant.objects.filter(user_id=user.pk, portal_access=True).values("case_id")
        )
    return q


def through(path: str, condition: Q) -> Q:
    """A condition on cases, restated for a model that points at its case through `path`.

    `through("case", case_filter(user))` selects the enquiries (say) of the cases the user may
    see as a join on the case, where `case__in=<cases>.values("pk")` would be a subquery: SQLite
    materialises such a subquery for every case of the service before looking at one enquiry,
    which made the dashboard's counts grow with the number of cases. The case is a single-valued
    relation, so the join selects exactly the same rows.
    """
    rewritten = Q()
    rewritten.connector = condition.connector
    rewritten.negated = condition.negated
    children: list[Any] = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(through(path, child))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((f"{path}__{lookup}", value))
    rewritten.children = children
    return rewritten


def restrict(queryset: QuerySet[Any], user: Any, action: str = "view") -> QuerySet[Any]:
    """Limit a case queryset to the cases the user may perform the action on."""
    return queryset.filter(case_filter(user, action))


def sees_every_case(user: Any, organisation_id: int, action: str) -> bool:
    """Does a role in this service grant the action on every one of its cases?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = _memberships(user).get(organisation_id)
    return bool(roles and roles & _rule(action).service_roles)


def staff_organisation_ids(user: Any) -> list[int]:
    """The services in which the user holds an active staff role (none for a party)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return sorted(_memberships(user))


def can(user: Any, action: str, case: Any) -> bool:
    """May this user perform this action on this case? Mirrors `case_filter` exactly."""
    rule = _rule(action)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    roles = _memberships(user).get(case.organisation_id)
    if roles:
        if roles & rule.service_roles:
            return True
        for position in rule.team_positions:
            if getattr(case, f"{TEAM_FIELDS[position]}_id") == user.pk:
                return True
    if rule.participants:
        return _is_portal_participant(user, case)
    return False


def _takes_part_anywhere(user: Any) -> bool:
    """Whether the user has portal access to any case, cached for the request.

    Leaving the participant clause out for people who take part in no case (most staff) lets
    the database use the service's indexes instead of an OR with a subquery.
    """
    cached = user.__dict__.get("_accord_takes_part")
    if cached is None:
        from accord.cases.models import Participant

        cached = Participant.objects.filter(user_id=user.pk, portal_access=True).exists()
        user.__dict__["_accord_takes_part"] = cached
    return bool(cached)


def prime_portal_cases(user: Any, case_ids: list[int]) -> None:
    """Answer `_is_portal_participant` for many cases in one query, before `can` per case."""
    if not getattr(user, "is_authenticated", False) or not case_ids:
        return
    from accord.cases.models import Participant

    mine = set(
        Participant.objects.filter(
            user_id=user.pk, portal_access=True, case_id__in=case_ids
        ).values_list("case_id", flat=True)
    )
    cache: dict[int, bool] = user.__dict__.setdefault("_accord_portal_cases", {})
    for pk in case_ids:
        cache.setdefault(pk, pk in mine)


def _is_portal_participant(user: Any, case: Any) -> bool:
    cache: dict[int, bool] = user.__dict__.setdefault("_accord_portal_cases", {})
    if case.pk not in cache:
        cache[case.pk] = case.participants.filter(user_id=user.pk, portal_access=True).exists()
    return cache[case.pk]


def can_see_participant_contact(user: Any, participant: Any, case: Any) -> bool:
    """Contact details: the case's staff, and the participant themself; never other parties."""
    if participant.user_id is not None and participant.user_id == getattr(user, "pk", None):
        return True
    return can(user, "view_workspace", case)


def can_see_participant_address(user: Any, participant: Any, case: Any) -> bool:
    """Addresses follow contact details, except a confidential one: case team and self only."""
    if participant.user_id is not None and participant.user_id == getattr(user, "pk", None):
        return True
    if participant.confidential_address:
        return can(user, "view_confidential_address", case)
    return can(user, "view_workspace", case)


def _predicate(action: str) -> Any:
    @rules.predicate(name=f"case_{action}")
    def check(user: Any, case: Any) -> bool:
        return case is not None and can(user, action, case)

    return check


for _action in RULES:
    rules.add_perm(f"cases.{_action}_case", _predicate(_action))
