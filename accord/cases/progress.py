"""How a case moves along its path: parts that apply, stages that follow events, what is next.

The cases app knows none of the apps built on it. They register here instead (like Django's
admin registry), in their `AppConfig.ready`:

- `register_stage_guard(fn)`: `fn(case, to_stage)` raises a `DomainError` to refuse a move
  (safeguarding refuses moves into session stages while a case is paused).
- `register_next_steps(part_code, fn)`: `fn(case)` returns the `NextStep`s that part sees for the
  case team, worked out from its own records.
- `register_party_actions(part_code, fn)`: `fn(case, participant)` returns the `PartyAction`s a
  party must take in the portal (sign the agreement, answer the invitation...).

Services that record an event implying a stage call `case_advance(...)` inside their own
transaction, so the move and its audit event commit or roll back with the event itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases import kinds
from accord.cases.models import Case, Participant
from accord.cases.workflows import EVENTS
from accord.core.errors import DomainError, ValidationFailed


class PartNotApplicable(ValidationFailed):
    """A part of Accord was asked for on a kind of case it does not apply to."""


def part_applies(case: Case, code: str) -> bool:
    """Whether a part applies to this case's kind."""
    return kinds.applies(case.kind, code)


def ensure_part_applies(case: Case, code: str) -> None:
    """Refuse, with a message naming the part and the kind, what does not apply to the case."""
    if not kinds.applies(case.kind, code):
        message = kinds.refusal(case.kind, code)
        raise PartNotApplicable(message, field_errors={"__all__": [message]})


# Stage guards ------------------------------------------------------------------------------------

StageGuard = Callable[[Case, str], None]
_STAGE_GUARDS: list[StageGuard] = []


def register_stage_guard(guard: StageGuard) -> None:
    """Add a check that may refuse a move of a case into a stage (registering twice is harmless)."""
    if guard not in _STAGE_GUARDS:
        _STAGE_GUARDS.append(guard)


def ensure_stage_allowed(case: Case, to_stage: str) -> None:
    """Run every guard on a move into `to_stage`; the first to refuse raises its DomainError."""
    for guard in _STAGE_GUARDS:
        guard(case, to_stage)


# Moving on by itself -----------------------------------------------------------------------------


@transaction.atomic
def case_advance(*, actor: Any, case: Case, event: str, actor_label: str = "") -> Case | None:
    """Move the case to the stage an event implies, if that is forward and nothing refuses it.

    Returns the case if it moved, None if it stayed (the event implies no stage in its workflow,
    the case is already there or further on, it is closed, or a guard such as a safeguarding pause
    refuses). Never raises for those: the event itself has happened and is recorded by its caller.
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown case event {event!r}.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    workflow = case.workflow
    to_stage = workflow.stage_implied_by(event)
    if to_stage is None or not workflow.advances(case.stage, to_stage):
        return None
    try:
        ensure_stage_allowed(case, to_stage)
    except DomainError:
        return None
    from_stage = case.stage
    case.stage = to_stage
    case.stage_changed_at = timezone.now()
    case.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="case.stage_changed",
        target=case,
        case_id=case.pk,
        details={"from": from_stage, "to": to_stage, "event": event, "automatic": True},
        actor_label=actor_label,
    )
    return case


# What is next ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """Something the case team should do next, worked out from a part's records."""

    text: str
    part: str
    #: A link to where it is done, or "".
    url: str = ""
    #: Shown first and marked: a safety block, a missed deadline, a decision that stops bookings.
    urgent: bool = False
    #: Names screening or safeguarding work: shown only to those who may read those records
    #: (the case policy's `view_restricted`: the case's mediators, supervisor, safeguarding lead).
    restricted: bool = False
    #: Must be done before anything else of the ordinary path: while such a step is waiting,
    #: only it and urgent steps are shown (no one is invited before the conflict check).
    comes_first: bool = False


@dataclass(frozen=True)
class PartyAction:
    """Something a party must do in the portal, in plain words."""

    text: str
    part: str
    url: str = ""


NextStepsProvider = Callable[[Case], list[NextStep]]
PartyActionsProvider = Callable[[Case, Participant], list[PartyAction]]
_NEXT_STEPS: dict[str, NextStepsProvider] = {}
_PARTY_ACTIONS: dict[str, PartyActionsProvider] = {}


def register_next_steps(part_code: str, provider: NextStepsProvider) -> None:
    """Register how a part works out the case team's next steps."""
    kinds.part(part_code)  # a typo in the part's code fails at start-up
    _NEXT_STEPS[part_code] = provider


def register_party_actions(part_code: str, provider: PartyActionsProvider) -> None:
    """Register how a part works out what a party must do."""
    kinds.part(part_code)
    _PARTY_ACTIONS[part_code] = provider


def reached(case: Case, stage_code: str) -> bool:
    """Whether the case is at or past a stage of its workflow (a closed case has passed them all).

    False when the workflow has no such stage. Providers use it so that a step of an earlier
    stage is not offered once the case has moved on by another route.
    """
    if case.is_closed:
        return True
    workflow = case.workflow
    if not workflow.has_stage(stage_code) or not workflow.has_stage(case.stage):
        return False
    return workflow.position(case.stage) >= workflow.position(stage_code)


def when_in_words(value: Any) -> str:
    """A date and time as steps and actions say it: "3 March at 10:00" (local time)."""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B} at {local:%H:%M}"


def next_steps(case: Case, user: Any = None) -> list[NextStep]:
    """What the case team should do next, from every part that applies, urgent steps first.

    Steps marked `restricted` (screening, safeguarding) are kept only for a `user` who may read
    those records; without a user they are left out. Falls back to the stage's usual next step
    when no part has anything to say. A closed case has no next steps.
    """
    if case.is_closed:
        return []
    steps: list[NextStep] = []
    for item in kinds.parts_for(case.kind):
        provider = _NEXT_STEPS.get(item.code)
        if provider is not None:
            steps.extend(provider(case))
    if any(step.restricted for step in steps):
        from accord.cases import policy as case_policy

        if user is None or not case_policy.can(user, "view_restricted", case):
            steps = [step for step in steps if not step.restricted]
    if any(step.comes_first for step in steps):
        steps = [step for step in steps if step.comes_first or step.urgent]
    if not steps:
        steps.append(NextStep(text=case.next_step, part="stage"))
    return sorted(steps, key=lambda step: not step.urgent)


def party_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """What this party must do, from every part that applies to the case."""
    if case.is_closed:
        return []
    actions: list[PartyAction] = []
    for item in kinds.parts_for(case.kind):
        provider = _PARTY_ACTIONS.get(item.code)
        if provider is not None:
            actions.extend(provider(case, participant))
    return actions
