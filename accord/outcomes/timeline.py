"""How written outcomes read on the case timeline."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, in_words, register, register_prefix

_VERBS = {
    "outcomes.drafted": "drafted",
    "outcomes.edited": "edited",
    "outcomes.submitted": "submitted for approval",
    "outcomes.approved": "approved",
    "outcomes.returned": "returned for changes",
    "outcomes.withdrawn": "withdrew",
    "outcomes.issued": "issued",
}


def _what(item: TimelineEvent) -> str:
    from accord.outcomes.models import OutcomeKind

    kind = item.details.get("kind")
    label = dict(OutcomeKind.choices).get(kind) if kind else None
    return f"the {str(label).lower()}" if label else "a written outcome"


def _sentence(item: TimelineEvent) -> str:
    verb = _VERBS[item.event.action]
    if verb == "withdrew":
        return f"{item.actor} withdrew {_what(item)}"
    if " " in verb:
        first, rest = verb.split(" ", 1)
        return f"{item.actor} {first} {_what(item)} {rest}"
    return f"{item.actor} {verb} {_what(item)}"


def _shared(item: TimelineEvent) -> str:
    people = [item.participant(pk, "") for pk in item.details.get("participant_ids") or []]
    return f"{item.actor} shared {_what(item)} with {in_words(people) or 'the parties'}"


register_prefix("outcomes.", "outcomes")
for _action in _VERBS:
    register(_action, "outcomes", _sentence)
register("outcomes.shared", "outcomes", _shared)


def _correction(item: TimelineEvent) -> str:
    version = item.details.get("version_number")
    return f"{item.actor} started a correction of {_what(item)}" + (
        f" (version {version})" if version else ""
    )


def _superseded(item: TimelineEvent) -> str:
    old, new = item.details.get("version_number"), item.details.get("new_version_number")
    told = len(item.details.get("recipient_ids") or [])
    sentence = f"{item.actor} issued version {new} of {_what(item)}, superseding version {old}"
    if told:
        sentence += f"; {told} recipient{'s' if told != 1 else ''} told"
    return sentence


register("outcomes.correction_started", "outcomes", _correction)
register("outcomes.superseded", "outcomes", _superseded)
