"""How the Agreement to Mediate reads on the case timeline."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, in_words, register, register_prefix


def _packet(item: TimelineEvent) -> str:
    people = [item.participant(pk, "") for pk in item.details.get("signer_ids") or []]
    text = f"{item.actor} sent the Agreement to Mediate for signing"
    return f"{text} to {in_words(people)}" if any(people) else text


register_prefix("agreements.", "agreement")
register("agreements.packet_created", "agreement", _packet)
register(
    "agreements.packet_voided",
    "agreement",
    lambda i: f"{i.actor} withdrew an Agreement to Mediate sent for signing",
)
register(
    "agreements.signed_online",
    "agreement",
    lambda i: f"{i.participant()} signed the Agreement to Mediate online",
)
register(
    "agreements.wet_ink_recorded",
    "agreement",
    lambda i: f"{i.actor} recorded {i.participant()}'s signed paper Agreement to Mediate",
)
register(
    "agreements.agreement_created",
    "agreement",
    lambda i: "The Agreement to Mediate was signed by everyone and is in force",
)
