"""Reads of cases and participants for a user, always through the case policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accord.audit.models import AuditEvent
from accord.cases import policy
from accord.cases.models import Case, Participant
from accord.cases.search import case_search
from accord.core.errors import NotFoundOrHidden


@dataclass(frozen=True)
class CaseFilters:
    """Search and filter options for a case list."""

    q: str = ""
    kind: str = ""
    stage: str = ""
    mediator_id: int | None = None
    mine: bool = False
    include_closed: bool = True


#: What a list page shows of each case besides its own columns.
LIST_RELATED = ("organisation", "lead_mediator", "co_mediator", "supervisor")


def case_list(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may see, filtered and searched, with what list pages need preloaded."""
    filters = filters or CaseFilters()
    if filters.q.strip():
        # Staff may search by participant name; parties search only their own cases' titles.
        qs = case_search(term=filters.q, user=user)
    else:
        qs = policy.restrict(Case.objects.all(), user, "view")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.mediator_id:
        qs = qs.filter(
            Q(lead_mediator_id=filters.mediator_id) | Q(co_mediator_id=filters.mediator_id)
        )
    if filters.mine and getattr(user, "pk", None):
        qs = qs.filter(
            Q(lead_mediator_id=user.pk) | Q(co_mediator_id=user.pk) | Q(supervisor_id=user.pk)
        )
    if not filters.include_closed:
        qs = qs.exclude(stage="closed")
    return qs.select_related(*LIST_RELATED)


def cases_listed(ids: list[int]) -> list[Case]:
    """The cases of one page, in the list's order, by the ids `case_list` gave for it.

    The ids were chosen under the policy and the filters already; fetching them by primary
    key alone does not ask again, which for a search filtered case by case meant running its
    people subquery for each row once more.
    """
    if not ids:
        return []
    rows = Case.objects.filter(pk__any=ids).select_related(*LIST_RELATED)
    return list(rows.order_by("-opened_at", "-id"))


def my_open_cases(*, user: Any, limit: int) -> list[Case]:
    """Up to `limit` open cases the user leads, co-mediates or supervises, latest moved first.

    One query per team position, each served by that column's index, merged here. A single
    query ORing the three positions and ordered by date made SQLite walk every case of the
    service in date order looking for the user's, which at 100,000 cases took most of the
    dashboard's time for anyone with few or no cases of their own.
    """
    pk = getattr(user, "pk", None)
    if pk is None:
        return []
    visible = case_list(user=user, filters=CaseFilters(include_closed=False))
    found: dict[int, Case] = {}
    for column in ("lead_mediator_id", "co_mediator_id", "supervisor_id"):
        for case in visible.filter(**{column: pk}).order_by("-stage_changed_at", "-id")[:limit]:
            found[case.pk] = case
    ordered = sorted(found.values(), key=lambda case: (case.stage_changed_at, case.pk))
    return list(reversed(ordered))[:limit]


def case_get_for(
    *, user: Any, case_id: int | None = None, reference: str | None = None, action: str = "view"
) -> Case:
    """Fetch one case and check the action in one step; 404 for what the user may not see."""
    qs = Case.objects.select_related("organisation", "lead_mediator", "co_mediator", "supervisor")
    lookup: dict[str, Any] = {"pk": case_id} if case_id is not None else {"reference": reference}
    try:
        case = policy.restrict(qs, user, "view").get(**lookup)
    except (Case.DoesNotExist, Case.MultipleObjectsReturned, ValueError, TypeError):
        raise NotFoundOrHidden("No such case.") from None
    if action != "view" and not policy.can(user, action, case):
        raise NotFoundOrHidden("No such case.")
    return case


@dataclass(frozen=True)
class ParticipantView:
    """A participant as one user may see them: hidden fields are blanked, not just unshown."""

    participant: Participant
    show_contact: bool
    show_address: bool

    @property
    def id(self) -> int:
        return self.participant.pk

    @property
    def full_name(self) -> str:
        return self.participant.full_name

    @property
    def role(self) -> str:
        return self.participant.role

    @property
    def role_label(self) -> str:
        return self.participant.get_role_display()

    @property
    def organisation_name(self) -> str:
        return self.participant.organisation_name

    @property
    def email(self) -> str:
        return self.participant.email if self.show_contact else ""

    @property
    def phone(self) -> str:
        return self.participant.phone if self.show_contact else ""

    @property
    def address(self) -> str:
        return self.participant.address if self.show_address else ""

    @property
    def address_withheld(self) -> bool:
        return bool(self.participant.address) and not self.show_address

    @property
    def date_of_birth(self) -> dt.date | None:
        return self.participant.date_of_birth if self.show_contact else None

    @property
    def confidential_address(self) -> bool:
        return self.participant.confidential_address if self.show_contact else False

    @property
    def safe_contact_methods(self) -> list[str]:
        return list(self.participant.safe_contact_methods) if self.show_contact else []

    @property
    def safe_contact_notes(self) -> str:
        return self.participant.safe_contact_notes if self.show_contact else ""

    @property
    def has_portal_access(self) -> bool:
        return self.participant.portal_access


def participant_views(*, user: Any, case: Case) -> list[ParticipantView]:
    """The case's participants as this user may see them (the caller has fetched the case)."""
    result = []
    for participant in case.participants.all().order_by("id"):
        result.append(
            ParticipantView(
                participant=participant,
                show_contact=policy.can_see_participant_contact(user, participant, case),
                show_address=policy.can_see_participant_address(user, participant, case),
            )
        )
    return result


def participant_get_for(*, user: Any, participant_id: int, action: str = "view") -> Participant:
    """Fetch one participant through their case's policy; 404 for what is hidden."""
    try:
        participant = Participant.objects.select_related("case").get(pk=participant_id)
    except (Participant.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrHidden("No such participant.") from None
    case_get_for(user=user, case_id=participant.case_id, action=action)
    return participant


def case_timeline(*, user: Any, case: Case) -> QuerySet[AuditEvent]:
    """The case's audit events a member of staff may read; restricted ones need the right role."""
    if not policy.can(user, "view_workspace", case):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(case_id=case.pk).select_related("actor")
    if not policy.can(user, "view_restricted", case):
        events = events.exclude(visibility="restricted")
    return events.order_by("-sequence")


def cases_for_participant(*, user: Any) -> QuerySet[Case]:
    """The cases a participant takes part in through the portal."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.filter(
            pk__in=Participant.objects.filter(user_id=user.pk, portal_access=True).values("case_id")
        )
        .select_related("organisation", "lead_mediator")
        .order_by("-opened_at")
    )


@dataclass(frozen=True)
class StageCount:
    """How many open cases of one workflow sit at one stage."""

    workflow: str
    stage: str
    label: str
    count: int


def open_case_counts_by_stage(*, user: Any, organisation_id: int) -> list[StageCount]:
    """Open cases of one service that the user may see, counted by workflow and stage."""
    from django.db.models import Count

    from accord.cases.workflows import workflow_for

    rows = (
        policy.restrict(Case.objects.filter(organisation_id=organisation_id), user, "view")
        .exclude(stage="closed")
        .values("kind", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Family kinds share one workflow: add their counts together under its stages.
    totals: dict[tuple[str, str], int] = {}
    workflows = {}
    for row in rows:
        workflow = workflow_for(row["kind"])
        workflows[workflow.name] = workflow
        key = (workflow.name, row["stage"])
        totals[key] = totals.get(key, 0) + row["n"]
    result = []
    for name in sorted(workflows):
        for stage in workflows[name].stages:
            if (name, stage.code) in totals:
                result.append(StageCount(name, stage.code, stage.label, totals[(name, stage.code)]))
    return result


def is_portal_party(user: Any, case: Case | int) -> bool:
    """Whether the person reaches this case through the party portal.

    True for a portal participant of the case who has no staff access to it: a member of
    staff who is also a party (in another service's case, or in their own service's where
    neither their role nor the case team gives them the workspace) uses the portal like any
    other party, and their staff powers never apply there. Someone with workspace access to
    the case uses the workspace instead, never the portal.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    case_id = case if isinstance(case, int) else case.pk
    if not Participant.objects.filter(
        case_id=case_id, user_id=user.pk, portal_access=True
    ).exists():
        return False
    if isinstance(case, int):
        found = Case.objects.filter(pk=case_id).first()
        if found is None:
            return False
        case = found
    return not policy.can(user, "view_workspace", case)


def portal_cases_for(*, user: Any) -> list[Case]:
    """The cases the person reaches through the party portal (see `is_portal_party`)."""
    return [case for case in cases_for_participant(user=user) if is_portal_party(user, case)]
