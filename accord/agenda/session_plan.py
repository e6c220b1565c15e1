"""Planning a mediation session from the agenda: which items, in what order, goals and minutes.

The case's mediators set a session's plan in one go (the old plan is replaced). Goals are the
mediator's private aims and are shown to staff only; parties may see the order of the items.
The total of the minutes is shown against the session's length (a plan may run over: it warns).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accord.agenda.models import AgendaItem, SessionPlanItem
from accord.agenda.services import _audit, _ensure_running, _locked_case, is_case_mediator
from accord.cases import policy as case_policy
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.core.text import text_problem

GOAL_LIMIT = 1000


@dataclass(frozen=True)
class PlanRow:
    """One row of a plan as asked for: an agenda item id, its order, minutes and goal."""

    item_id: int
    position: int
    minutes: int
    goal: str = ""


@transaction.atomic
def session_plan_set(*, actor: Any, session: Any, rows: list[PlanRow]) -> list[SessionPlanItem]:
    """Replace the session's plan with these rows (the case's mediators only)."""
    from accord.mediation.models import MediationSession, SessionStatus

    case = _locked_case(actor, session.case)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can plan a session.")
    _ensure_running(case, doing="planning a session")
    try:
        session = MediationSession.objects.select_for_update().get(pk=session.pk, case=case)
    except MediationSession.DoesNotExist:
        raise NotFoundOrHidden("No such session.") from None
    items = {i.pk: i for i in AgendaItem.objects.filter(case=case)}
    errors: dict[str, list[str]] = {}
    if session.status not in (SessionStatus.BOOKED, SessionStatus.IN_PROGRESS):
        label = session.get_status_display().lower()
        raise ValidationFailed(
            f"This session is {label}: only a booked or running session can be planned.",
            field_errors={"__all__": [f"This session is {label}, so it cannot be planned."]},
        )
    seen: set[int] = set()
    for row in rows:
        if row.item_id not in items:
            errors["__all__"] = ["Choose items from this case's agenda."]
        elif row.item_id in seen:
            errors["__all__"] = ["Plan each agenda item only once."]
        seen.add(row.item_id)
        if isinstance(row.minutes, bool) or not isinstance(row.minutes, int):
            errors[f"minutes_{row.item_id}"] = ["Enter the minutes as a whole number."]
        elif not 1 <= row.minutes <= 480:
            errors[f"minutes_{row.item_id}"] = ["Give each item between 1 and 480 minutes."]
        if len(row.goal.strip()) > GOAL_LIMIT:
            errors[f"goal_{row.item_id}"] = [f"Use {GOAL_LIMIT} characters or fewer."]
        elif (problem := text_problem(row.goal, multiline=True)) is not None:
            # The page reads the goals straight from the POST, not through a form.
            errors[f"goal_{row.item_id}"] = [problem.message]
    if errors:
        general = errors.get("__all__", ["The plan could not be saved."])[0]
        raise ValidationFailed(general, field_errors=errors)
    SessionPlanItem.objects.filter(session=session).delete()
    ordered = sorted(rows, key=lambda r: (r.position, r.item_id))
    created = [
        SessionPlanItem.objects.create(
            session=session,
            item=items[row.item_id],
            position=number,
            minutes=row.minutes,
            goal=row.goal.strip(),
        )
        for number, row in enumerate(ordered, start=1)
    ]
    _audit(
        actor,
        case,
        "agenda.session_planned",
        session,
        {"session_id": session.pk, "items": len(created)},
    )
    return created


@dataclass(frozen=True)
class SessionPlan:
    """A session's plan as one user may see it."""

    rows: list[SessionPlanItem]
    total_minutes: int
    session_minutes: int
    show_goals: bool

    @property
    def over_by(self) -> int:
        return max(0, self.total_minutes - self.session_minutes)


def session_plan_for(*, user: Any, session: Any) -> SessionPlan:
    """The plan of a session: staff see goals; a case's party sees the order and minutes."""
    case = session.case
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such session.")
    rows = list(
        SessionPlanItem.objects.filter(session=session).select_related("item").order_by("position")
    )
    return SessionPlan(
        rows=rows,
        total_minutes=sum(r.minutes for r in rows),
        session_minutes=session.duration_minutes,
        show_goals=case_policy.can(user, "view_workspace", case),
    )
