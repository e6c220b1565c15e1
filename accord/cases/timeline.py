"""The case timeline in words: each audit action has a sentence a mediator would write.

Apps register how their own events read in `accord/<app>/timeline.py` (autodiscovered by
`CasesConfig.ready`), in the same way as next steps:

    register("room.message_relayed", "rooms", relayed)

where `relayed(event)` gets a `TimelineEvent` (the audit event, the actor's name and helpers that
name participants, staff and rooms) and returns the sentence, e.g. "Helen Carter relayed a
reworded message to Daniel Wright's private room". Names are fetched for a whole page of events
at once (one query per kind of name), so the timeline's cost does not grow with its length; an
app whose events name its own objects registers a loader for them with `register_names`.

Sentences never quote what was said or recorded (screening answers, safeguarding records, private
words): they say what happened, and restricted events are shown only to those the case policy
lets read them (`selectors.case_timeline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from accord.cases import kinds

#: Loads names for a set of ids: {id: name}.
NameLoader = Callable[[set[int]], dict[int, str]]
Sentence = Callable[["TimelineEvent"], str]


@dataclass(frozen=True)
class _Action:
    part: str
    sentence: Sentence | None


_ACTIONS: dict[str, _Action] = {}
#: Action prefixes ("room.") and the part their events belong to, for actions not registered.
_PREFIXES: dict[str, str] = {}
_LOADERS: dict[str, NameLoader] = {}
#: Keys of event details that hold ids, and the kind of name they refer to.
_ID_KEYS: dict[str, str] = {
    "participant_id": "participant",
    "participant": "participant",
    "participant_ids": "participant",
}


def register(action: str, part: str, sentence: Sentence | None = None) -> None:
    """Say how an audit action reads on the timeline and which part of the case it belongs to.

    `part` is a part code (`kinds.part`) or "case" for the case itself; without a sentence the
    generic wording is used.
    """
    if part != "case":
        kinds.part(part)  # a typo fails at start-up
    _ACTIONS[action] = _Action(part, sentence)


def register_prefix(prefix: str, part: str) -> None:
    """File every action starting with `prefix` ("room.") under a part, unless registered."""
    if part != "case":
        kinds.part(part)
    _PREFIXES[prefix] = part


def register_names(kind: str, loader: NameLoader, *detail_keys: str) -> None:
    """Load names of one kind ("room") for the ids found under these keys of event details."""
    _LOADERS[kind] = loader
    for key in detail_keys:
        _ID_KEYS[key] = kind


def part_of(action: str) -> str:
    """The part an action belongs to ("case" for the case itself or when unknown)."""
    if action in _ACTIONS:
        return _ACTIONS[action].part
    for prefix, part in _PREFIXES.items():
        if action.startswith(prefix):
            return part
    return "case"


def part_filter(part: str) -> Q:
    """A filter on audit events for those of one part."""
    query = Q(action__in=[action for action, item in _ACTIONS.items() if item.part == part])
    for prefix, owner in _PREFIXES.items():
        if owner == part:
            registered_elsewhere = [
                action
                for action, item in _ACTIONS.items()
                if action.startswith(prefix) and item.part != part
            ]
            query |= Q(action__startswith=prefix) & ~Q(action__in=registered_elsewhere)
    return query


def filter_parts(kind: str) -> list[kinds.Part]:
    """The parts of a kind of case that have events on the timeline, in workspace order."""
    with_events = {item.part for item in _ACTIONS.values()} | set(_PREFIXES.values())
    return [item for item in kinds.parts_for(kind) if item.code in with_events]


# Reading one event ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    """An audit event with the names it mentions, handed to a sentence builder."""

    event: Any
    case: Any
    actor: str
    names: dict[str, dict[int, str]]

    @property
    def details(self) -> dict[str, Any]:
        details = self.event.details
        return details if isinstance(details, dict) else {}

    def name(self, kind: str, value: Any, missing: str = "") -> str:
        """The name of a participant, user, room... by id, or `missing`."""
        try:
            key = int(value)
        except (TypeError, ValueError):
            return missing
        return self.names.get(kind, {}).get(key, missing)

    def participant(self, value: Any = None, missing: str = "a participant") -> str:
        if value is None:
            value = self.details.get("participant_id", self.details.get("participant"))
        return self.name("participant", value, missing)

    def room(self, value: Any, missing: str = "a room") -> str:
        return self.name("room", value, missing)

    @property
    def target(self) -> str:
        """What the event was done to. A participant or the case is named as it is today: labels
        written before audit labels dropped names still hold them (they are hashed into the
        chain, so they are never rewritten), and an erased person's name must not come back."""
        if self.event.target_type == "cases.participant":
            return self.name("participant", self.event.target_id, "a participant")
        if self.event.target_type == "cases.case" and self.case is not None:
            return str(self.case.reference)
        return str(self.event.target_label or "")

    @property
    def target_participant(self) -> str:
        """The participant the event is about, by their name today (no role in brackets)."""
        if self.event.target_type == "cases.participant":
            name = self.name("participant", self.event.target_id)
            if name:
                return name
        return self.target.rsplit(" (", 1)[0] or "a participant"


@dataclass(frozen=True)
class TimelineEntry:
    """One audit event told in words for the case timeline."""

    occurred_at: dt.datetime
    who: str
    text: str
    restricted: bool
    part: str = "case"


def _ids(value: Any) -> Iterable[int]:
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, int) and not isinstance(item, bool):
            yield item
        elif isinstance(item, str) and item.isdigit():
            yield int(item)


def _load_users(ids: set[int]) -> dict[int, str]:
    from accord.accounts.models import User

    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


_LOADERS["user"] = _load_users


def _wanted(event: Any) -> Iterable[tuple[str, int]]:
    details = event.details if isinstance(event.details, dict) else {}
    for key, kind in _ID_KEYS.items():
        if key in details:
            for pk in _ids(details[key]):
                yield kind, pk
    if event.target_type == "cases.participant":
        yield from (("participant", pk) for pk in _ids(event.target_id))
    if event.action == "case.team_changed":
        for key in ("before", "after"):
            team = details.get(key) or {}
            if isinstance(team, dict):
                for value in team.values():
                    for pk in _ids(value):
                        yield "user", pk


def _generic(item: TimelineEvent) -> str:
    words = item.event.action.split(".", 1)[-1].replace("_", " ").replace(".", " ").strip()
    area = item.event.action.split(".", 1)[0].replace("_", " ")
    text = f"{item.actor}: {area} {words}"
    return f"{text} ({item.target})" if item.target else text


def describe(item: TimelineEvent) -> str:
    """The sentence for one event; a builder that fails falls back to the generic wording."""
    registered = _ACTIONS.get(item.event.action)
    if registered is not None and registered.sentence is not None:
        try:
            return registered.sentence(item)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    return _generic(item)


def entries(events: Iterable[Any], case: Any) -> list[TimelineEntry]:
    """Describe a page of events (actor loaded with them), fetching the names in a few queries."""
    events = list(events)
    wanted: dict[str, set[int]] = {}
    for event in events:
        for kind, pk in _wanted(event):
            wanted.setdefault(kind, set()).add(pk)
    names = {kind: _LOADERS[kind](ids) for kind, ids in wanted.items() if ids and kind in _LOADERS}
    if events:
        # Nearly every page names the case's participants: read them all in one query, always,
        # so the page costs the same whichever events it shows.
        from accord.cases.models import Participant

        names["participant"] = dict(
            Participant.objects.filter(case_id=case.pk).values_list("pk", "full_name")
        )
    result = []
    for event in events:
        actor = (event.actor.full_name if event.actor else "") or event.actor_label or "Accord"
        item = TimelineEvent(event=event, case=case, actor=actor, names=names)
        result.append(
            TimelineEntry(
                occurred_at=event.occurred_at,
                who=actor,
                text=describe(item),
                restricted=event.visibility == "restricted",
                part=part_of(event.action),
            )
        )
    return result


# The case's own events ---------------------------------------------------------------------------

_PARTICIPANT_FIELDS = {
    "role": "role",
    "full_name": "name",
    "organisation_name": "organisation",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "confidential_address": "whether the address is confidential",
    "date_of_birth": "date of birth",
    "safe_contact_methods": "safe ways to contact",
    "safe_contact_notes": "notes on safe contact",
}
_TEAM_POSITIONS = {
    "lead_mediator": "lead mediator",
    "co_mediator": "co-mediator",
    "supervisor": "supervisor",
}


def in_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _fields(value: Any, names: dict[str, str]) -> str:
    if not isinstance(value, list):
        return ""
    return in_words([names.get(str(name), str(name).replace("_", " ")) for name in value])


def _stage(item: TimelineEvent, code: Any) -> str:
    try:
        return str(item.case.workflow.stage(str(code)).label)
    except (KeyError, AttributeError):
        return str(code)


def _opened(item: TimelineEvent) -> str:
    kind = kinds.KINDS.get(str(item.details.get("kind")))
    return f"{item.actor} opened the case" + (f" ({kind.label})" if kind else "")


def _stage_changed(item: TimelineEvent) -> str:
    d = item.details
    moves = f"from {_stage(item, d.get('from'))} to {_stage(item, d.get('to'))}"
    if d.get("automatic"):
        return f"The case moved on {moves}"
    text = f"{item.actor} moved the case {moves}"
    return f"{text}: {d['reason']}" if d.get("reason") else text


def _updated(item: TimelineEvent) -> str:
    fields = _fields(item.details.get("fields"), {})
    return f"{item.actor} changed the case's {fields or 'details'}"


def _team_changed(item: TimelineEvent) -> str:
    before = item.details.get("before") or {}
    after = item.details.get("after") or {}
    changes = []
    for key, label in _TEAM_POSITIONS.items():
        if before.get(key) != after.get(key):
            new = (
                item.name("user", after[key], "a former member of staff")
                if after.get(key)
                else "no one"
            )
            changes.append(f"the {label} is now {new}")
    text = f"{item.actor} changed the case team"
    return f"{text}: {'; '.join(changes)}" if changes else text


def _participant_updated(item: TimelineEvent) -> str:
    fields = _fields(item.details.get("fields"), _PARTICIPANT_FIELDS)
    return f"{item.actor} changed {item.target_participant}'s {fields or 'details'}"


register("case.opened", "case", _opened)
register("case.stage_changed", "case", _stage_changed)
register("case.updated", "case", _updated)
register("case.team_changed", "case", _team_changed)
register(
    "participant.added", "case", lambda i: f"{i.actor} added {i.target_participant} to the case"
)
register("participant.updated", "case", _participant_updated)
register(
    "participant.invited",
    "case",
    lambda i: f"{i.actor} invited {i.target_participant} to the portal",
)
