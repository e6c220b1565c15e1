"""Every change to a case's agenda: who may make it, its checks, its history and its audit event.

Parties (portal participants in a party role) propose topics, add options and set their own
priorities; the case's mediators (lead and co-mediator) may do the same, and alone order the
agenda and move items between statuses. Nothing changes while the case is paused for
safeguarding, while the mediation is paused or has ended, or once the case is closed. Audit
details carry ids and statuses only, never what was written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accord.agenda import transitions
from accord.agenda.models import (
    CHILDREN_TOPICS,
    AgendaItem,
    AgendaItemEvent,
    AgendaOption,
    AgendaPriority,
    AgendaStatus,
    AgendaTopic,
)
from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.kinds import kind_spec
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed

TITLE_LIMIT = 200
TEXT_LIMIT = 5000


def _locked_case(actor: Any, case: Case) -> Case:
    """The case, row-locked so agenda changes on it happen one at a time; 404 if hidden."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not case_policy.can(actor, "view", case):
        raise NotFoundOrHidden("No such case.")
    return case


def acting_party(actor: Any, case: Case) -> Participant | None:
    """The party of the case the actor signs in as through the portal, if any."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return (
        Participant.objects.filter(
            case=case, user_id=actor.pk, portal_access=True, role__in=PARTY_ROLES
        )
        .order_by("id")
        .first()
    )


def is_case_mediator(actor: Any, case: Case) -> bool:
    """Whether the actor is the case's lead or co-mediator, still able to change the case."""
    pk = getattr(actor, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id)
        and case_policy.can(actor, "change", case)
    )


def not_running_reason(case: Case) -> str:
    """Why the agenda cannot change now (the case closed, or the mediation paused or ended)."""
    from accord.mediation.models import MediationState, MediationStatus

    if case.is_closed:
        return "The case is closed"
    state = MediationStatus.objects.filter(case=case).values_list("state", flat=True).first()
    if state == MediationState.PAUSED:
        return "The mediation is paused"
    if state == MediationState.ENDED:
        return "The mediation has ended"
    return ""


def _ensure_running(case: Case, *, doing: str) -> None:
    from accord.safeguarding.services import ensure_case_not_paused

    ensure_case_not_paused(case, doing=doing)
    reason = not_running_reason(case)
    if reason:
        raise ValidationFailed(f"{reason}, so {doing} is not possible.")


def _party_or_mediator(actor: Any, case: Case) -> Participant | None:
    """The acting party, or None for a case mediator; anyone else is refused."""
    party = acting_party(actor, case)
    if party is None and not is_case_mediator(actor, case):
        raise NotPermitted("Only the parties and the case's mediators can do this.")
    return party


def _locked_item(actor: Any, item: AgendaItem) -> tuple[AgendaItem, Case]:
    case = _locked_case(actor, item.case)
    try:
        return AgendaItem.objects.select_for_update().get(pk=item.pk, case=case), case
    except AgendaItem.DoesNotExist:
        raise NotFoundOrHidden("No such agenda item.") from None


def _text(
    value: Any, *, field: str, required: str, limit: int, errors: dict[str, list[str]]
) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[field] = [required]
    elif len(text) > limit:
        errors[field] = [f"Use {limit} characters or fewer."]
    return text


def _audit(actor: Any, case: Case, action: str, target: Any, details: dict[str, Any]) -> None:
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action=action,
        target=target,
        case_id=case.pk,
        details=details,
    )


@transaction.atomic
def agenda_item_propose(
    *,
    actor: Any,
    case: Case,
    title: str,
    topic: str,
    issue: str,
    view: str = "",
    hopes: str = "",
    touches_children: bool = False,
) -> AgendaItem:
    """Put a topic on the agenda: a party through the portal, or a case mediator."""
    case = _locked_case(actor, case)
    party = _party_or_mediator(actor, case)
    _ensure_running(case, doing="adding to the agenda")
    errors: dict[str, list[str]] = {}
    title = _text(
        title,
        field="title",
        required="Enter a short title for the topic.",
        limit=TITLE_LIMIT,
        errors=errors,
    )
    allowed = kind_spec(case.kind).agenda_topics
    if len(allowed) == 1 and not topic:
        topic = allowed[0]
    if topic not in AgendaTopic.values:
        errors["topic"] = ["Choose what the topic is about."]
    elif topic not in allowed:
        labels = ", ".join(str(AgendaTopic(code).label).lower() for code in allowed)
        errors["topic"] = [
            f"A {kind_spec(case.kind).label.lower()} case's topics can be about: {labels}."
        ]
    issue = _text(
        issue, field="issue", required="Describe the issue.", limit=TEXT_LIMIT, errors=errors
    )
    view = _text(view, field="view", required="", limit=TEXT_LIMIT, errors=errors)
    hopes = _text(hopes, field="hopes", required="", limit=TEXT_LIMIT, errors=errors)
    if errors:
        raise ValidationFailed("The topic could not be added.", field_errors=errors)
    last = AgendaItem.objects.filter(case=case).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        title=title,
        topic=topic,
        proposed_by_participant=party,
        proposed_by_user=None if party else actor,
        issue=issue,
        view=view,
        hopes=hopes,
        position=last + 1,
        touches_children=bool(touches_children) or topic in CHILDREN_TOPICS,
    )
    AgendaItemEvent.objects.create(
        item=item, from_status="", to_status=item.status, by=actor, at=timezone.now()
    )
    _audit(
        actor,
        case,
        "agenda.item_proposed",
        item,
        {"item_id": item.pk, "topic": topic, "by_party": party is not None},
    )
    return item


@transaction.atomic
def agenda_item_reorder(*, actor: Any, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place up or down the agenda (the case's mediators only)."""
    item, case = _locked_item(actor, item)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can order the agenda.")
    _ensure_running(case, doing="ordering the agenda")
    if direction not in ("up", "down"):
        raise ValidationFailed(
            "Choose up or down.", field_errors={"direction": ["Choose up or down."]}
        )
    items = list(
        AgendaItem.objects.select_for_update().filter(case=case).order_by("position", "id")
    )
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    swap = index - 1 if direction == "up" else index + 1
    if not 0 <= swap < len(items):
        return item
    # Renumber the whole agenda so that positions stay 1..n even after older gaps.
    items[index], items[swap] = items[swap], items[index]
    for number, other in enumerate(items, start=1):
        if other.position != number:
            other.position = number
            other.save(update_fields=["position", "updated_at"])
    moved = next(other for other in items if other.pk == item.pk)
    _audit(
        actor,
        case,
        "agenda.item_reordered",
        moved,
        {"item_id": moved.pk, "position": moved.position},
    )
    return moved


@transaction.atomic
def agenda_item_change_status(
    *, actor: Any, item: AgendaItem, to_status: str, note: str = "", agreed_wording: str = ""
) -> AgendaItem:
    """Move an item to another status (the case's mediators), keeping its history.

    Agreeing records the wording the parties agreed; reopening an agreed item needs a reason.
    """
    item, case = _locked_item(actor, item)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can change where an item stands.")
    _ensure_running(case, doing="changing the agenda")
    errors: dict[str, list[str]] = {}
    note = _text(note, field="note", required="", limit=TEXT_LIMIT, errors=errors)
    wording = _text(
        agreed_wording, field="agreed_wording", required="", limit=TEXT_LIMIT, errors=errors
    )
    for field, message in transitions.move_problems(
        from_status=item.status, to_status=to_status, wording=wording, reason=note
    ).items():
        errors.setdefault(field, [message])
    if errors:
        raise ValidationFailed("The item's status could not be changed.", field_errors=errors)
    from_status = item.status
    now = timezone.now()
    item.status = to_status
    if to_status == AgendaStatus.AGREED:
        item.agreed_wording, item.agreed_at = wording, now
    elif from_status == AgendaStatus.AGREED:
        # The agreed wording stays in the history below, not on an item no longer agreed.
        item.agreed_wording, item.agreed_at = "", None
    item.save(update_fields=["status", "agreed_wording", "agreed_at", "updated_at"])
    # The event keeps the wording agreed at that step, so reopening loses nothing.
    AgendaItemEvent.objects.create(
        item=item,
        from_status=from_status,
        to_status=to_status,
        by=actor,
        at=now,
        note=note,
        wording=wording if to_status == AgendaStatus.AGREED else "",
    )
    _audit(
        actor,
        case,
        "agenda.item_status_changed",
        item,
        {"item_id": item.pk, "from": from_status, "to": to_status},
    )
    return item


@transaction.atomic
def agenda_option_add(
    *, actor: Any, item: AgendaItem, text: str, with_permission: bool = False
) -> AgendaOption:
    """Record an option for an item: a party's, or a mediator's idea offered with permission."""
    item, case = _locked_item(actor, item)
    party = _party_or_mediator(actor, case)
    _ensure_running(case, doing="adding options")
    errors: dict[str, list[str]] = {}
    text = _text(
        text, field="text", required="Describe the option.", limit=TEXT_LIMIT, errors=errors
    )
    if party is None and with_permission is not True:
        errors["with_permission"] = [
            "A mediator offers ideas only with the parties' permission: confirm they gave it."
        ]
    if not item.accepts_options:
        errors["__all__"] = [
            f"Options cannot be added to an item that is {item.get_status_display().lower()}."
        ]
    if errors:
        raise ValidationFailed("The option could not be added.", field_errors=errors)
    option = AgendaOption.objects.create(
        item=item,
        text=text,
        proposed_by_participant=party,
        proposed_by_user=None if party else actor,
        mediator_idea=party is None,
        with_permission=party is None,
    )
    _audit(
        actor,
        case,
        "agenda.option_added",
        option,
        {"item_id": item.pk, "option_id": option.pk, "mediator_idea": party is None},
    )
    return option


@transaction.atomic
def agenda_priority_set(*, actor: Any, item: AgendaItem, priority: Any) -> AgendaPriority:
    """A party says how much an item matters to them, from 1 (low) to 5 (high)."""
    item, case = _locked_item(actor, item)
    party = acting_party(actor, case)
    if party is None:
        raise NotPermitted("Only a party can set their own priorities.")
    _ensure_running(case, doing="setting priorities")
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        raise ValidationFailed(
            "The priority could not be saved.",
            field_errors={"priority": ["Choose a priority from 1 (low) to 5 (high)."]},
        )
    row, _ = AgendaPriority.objects.update_or_create(
        item=item, participant=party, defaults={"priority": priority}
    )
    _audit(
        actor,
        case,
        "agenda.priority_set",
        item,
        {"item_id": item.pk, "participant_id": party.pk, "priority": priority},
    )
    return row


@transaction.atomic
def agenda_item_mark_children(
    *, actor: Any, item: AgendaItem, touches_children: bool
) -> AgendaItem:
    """A case mediator says whether an item is about the children (it feeds the parenting plan).

    Child arrangements and child maintenance topics always are, so they cannot be unmarked.
    """
    item, case = _locked_item(actor, item)
    if not is_case_mediator(actor, case):
        raise NotPermitted("Only the case's mediators can change this.")
    _ensure_running(case, doing="changing the agenda")
    if not touches_children and item.topic in CHILDREN_TOPICS:
        raise ValidationFailed(
            "Topics about child arrangements or maintenance are always about the children.",
            field_errors={"touches_children": ["This topic is always about the children."]},
        )
    if item.touches_children != bool(touches_children):
        item.touches_children = bool(touches_children)
        item.save(update_fields=["touches_children", "updated_at"])
        _audit(
            actor,
            case,
            "agenda.item_children_marked",
            item,
            {"item_id": item.pk, "touches_children": item.touches_children},
        )
    return item
