"""Reads of safeguarding records for a user, always through the safeguarding policy.

Every selector answers 404 (`NotFoundOrHidden`) for anyone outside the restricted audience, so a
party, a coordinator or a member of another service cannot even learn that a record exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden
from accord.organisations.models import Role
from accord.organisations.selectors import staff_in
from accord.safeguarding import policy
from accord.safeguarding.models import (
    CaseHold,
    ConsultedRole,
    Disclosure,
    Referral,
    SafeguardingConcern,
    ThresholdDecision,
)
from accord.safeguarding.services import PARENT_ROLES, consulted_role_of


def records_case_get_for(*, user: Any, case_id: int) -> Case:
    """The case, if the user may read its safeguarding records; 404 otherwise."""
    return case_get_for(user=user, case_id=case_id, action="view_restricted")


def raising_case_get_for(*, user: Any, case_id: int) -> Case:
    """The case, if the user may raise a safeguarding concern on it (any staff on the case)."""
    return case_get_for(user=user, case_id=case_id, action="view_workspace")


def concerns_visible_to(*, user: Any) -> QuerySet[SafeguardingConcern]:
    """Every concern the user may read, across their services."""
    return SafeguardingConcern.objects.filter(policy.records_filter(user))


def concern_list(*, user: Any, case: Case) -> QuerySet[SafeguardingConcern]:
    """A case's concerns for the safeguarding page, newest first."""
    return (
        concerns_visible_to(user=user)
        .filter(case=case)
        .select_related("raised_by")
        .prefetch_related(
            Prefetch(
                "threshold_decisions",
                queryset=ThresholdDecision.objects.order_by("-decided_at", "-id"),
            ),
            Prefetch("referrals", queryset=Referral.objects.order_by("-created_at", "-id")),
        )
        .order_by("-raised_at", "-id")
    )


def concern_get_for(*, user: Any, case: Case, concern_id: int) -> SafeguardingConcern:
    """One concern of the case with everything its page shows; 404 for what is hidden."""
    try:
        return (
            concerns_visible_to(user=user)
            .select_related("raised_by", "case", "organisation")
            .prefetch_related(
                Prefetch(
                    "threshold_decisions",
                    queryset=ThresholdDecision.objects.select_related(
                        "decided_by", "consulted"
                    ).order_by("-decided_at", "-id"),
                ),
                Prefetch(
                    "referrals",
                    queryset=Referral.objects.select_related(
                        "parent", "offered_by", "recorded_by", "deadline", "escalation_deadline"
                    ).order_by("-created_at", "-id"),
                ),
                Prefetch(
                    "disclosures",
                    queryset=Disclosure.objects.select_related("recorded_by").order_by(
                        "-disclosed_at", "-id"
                    ),
                ),
                Prefetch(
                    "holds",
                    queryset=CaseHold.objects.select_related("paused_by", "decided_by").order_by(
                        "-paused_at", "-id"
                    ),
                ),
            )
            .get(case=case, pk=concern_id)
        )
    except (SafeguardingConcern.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such safeguarding concern.") from None


def referral_get_for(*, user: Any, case: Case, referral_id: int) -> Referral:
    """One referral on the case; 404 for what is hidden."""
    try:
        return (
            Referral.objects.filter(policy.records_filter(user, "concern__case"))
            .select_related("concern", "parent", "deadline")
            .get(concern__case=case, pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such referral.") from None


def disclosure_list(*, user: Any, case: Case) -> QuerySet[Disclosure]:
    """The log of every disclosure made outside the case's mediation, newest first."""
    return (
        Disclosure.objects.filter(policy.records_filter(user))
        .filter(case=case)
        .select_related("recorded_by", "concern")
        .order_by("-disclosed_at", "-id")
    )


def open_hold(*, user: Any, case: Case) -> CaseHold | None:
    """The pause in force on the case, if any, for the restricted audience."""
    return (
        CaseHold.objects.filter(policy.records_filter(user))
        .filter(case=case, decided_at__isnull=True)
        .select_related("concern", "paused_by")
        .first()
    )


def hold_list(*, user: Any, case: Case) -> QuerySet[CaseHold]:
    """Every pause of the case and the decision that lifted it."""
    return (
        CaseHold.objects.filter(policy.records_filter(user))
        .filter(case=case)
        .select_related("paused_by", "decided_by")
        .order_by("-paused_at", "-id")
    )


def parents_on_case(*, case: Case) -> QuerySet[Participant]:
    """The case's participants who may make a self-referral as a parent or carer."""
    return case.participants.filter(role__in=PARENT_ROLES).order_by("full_name", "id")


_CAPACITY: dict[str, str] = {
    ConsultedRole.SUPERVISOR: "Supervisor",
    ConsultedRole.SAFEGUARDING_LEAD: "Safeguarding lead",
}


@dataclass(frozen=True)
class Consultee:
    """Someone the mediator may consult on a threshold decision, and in what capacity."""

    user: Any
    capacity: str


def consultees_for(*, case: Case, exclude: Any = None) -> list[Consultee]:
    """The case's supervisor and the service's safeguarding leads, for the decision form."""
    exclude_id = getattr(exclude, "pk", None)
    candidates = [case.supervisor] if case.supervisor_id is not None else []
    candidates += list(staff_in(case.organisation, Role.SAFEGUARDING_LEAD))
    people: dict[int, Consultee] = {}
    for person in candidates:
        if person is None or person.pk == exclude_id or person.pk in people:
            continue
        capacity = consulted_role_of(person, case)
        if capacity is not None:
            people[person.pk] = Consultee(person, _CAPACITY[capacity])
    return list(people.values())
