"""How safeguarding events read on the case timeline.

Every safeguarding event is restricted: only those the case policy lets read restricted events
see it at all (`selectors.case_timeline`), and even then the sentence says what kind of thing
happened, never what the record says.
"""

from __future__ import annotations

from accord.cases.timeline import Sentence, TimelineEvent, register, register_prefix

_SENTENCES = {
    "concern_raised": "{actor} raised a safeguarding concern",
    "concern_recorded": "{actor} recorded a safeguarding concern",
    "concern_closed": "{actor} closed a safeguarding concern",
    "disclosure_recorded": "{actor} recorded a disclosure",
    "investigation_opened": "{actor} opened a safeguarding investigation",
    "mediation_ended": "{actor} ended the mediation for safeguarding reasons",
    "mediation_resumed": "{actor} resumed the mediation after a safeguarding pause",
    "referral_recorded": "{actor} recorded a safeguarding referral",
    "self_referral_confirmed": "{actor} confirmed a self-referral",
    "self_referral_lapsed": "An offered self-referral lapsed",
    "self_referral_offered": "{actor} offered a self-referral",
    "threshold_decided": "{actor} recorded a threshold decision",
}


def _sentence(template: str) -> Sentence:
    def sentence(item: TimelineEvent) -> str:
        return template.format(actor=item.actor)

    return sentence


register_prefix("safeguarding.", "safeguarding")
for _name, _template in _SENTENCES.items():
    register(f"safeguarding.{_name}", "safeguarding", _sentence(_template))
