"""How MIAMs, screening, suitability, funding and MIAM certificates read on the case timeline.

Screening events are restricted (shown only to those who may read them) and never say what was
answered; a suitability decision gives its route only, never its reasons.
"""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, in_words, register, register_prefix
from accord.mediation.timeline import when


def _booked(item: TimelineEvent) -> str:
    people = [item.participant(pk, "") for pk in item.details.get("attendee_ids") or []]
    text = f"{item.actor} booked a {'joint ' if item.details.get('joint') else ''}MIAM"
    if any(people):
        text += f" with {in_words(people)}"
    at = when(item.details.get("starts_at"))
    return f"{text} for {at}" if at else text


def _suitability(item: TimelineEvent) -> str:
    from accord.meetings.models import SuitabilityRoute

    route = dict(SuitabilityRoute.choices).get(str(item.details.get("route")))
    verb = "revised" if item.event.action == "suitability.revised" else "decided"
    text = f"{item.actor} {verb} the suitability decision"
    return f"{text}: {str(route).lower()}" if route else text


def _funding(item: TimelineEvent) -> str:
    from accord.meetings.models import FundingKind

    kind = dict(FundingKind.choices).get(str(item.details.get("kind")))
    text = f"{item.actor} recorded how {item.participant()}'s mediation is paid for"
    return f"{text}: {str(kind).lower()}" if kind else text


register_prefix("miam.", "miam")
register("miam.booked", "miam", _booked)
register("miam.held", "miam", lambda i: f"{i.actor} recorded that a MIAM was held")


def _moved(item: TimelineEvent) -> str:
    text = f"{item.actor} moved a MIAM"
    before, after = when(item.details.get("from")), when(item.details.get("starts_at"))
    if before and after:
        return f"{text} from {before} to {after}"
    return f"{text} to {after}" if after else text


def _recorded_after(item: TimelineEvent) -> str:
    people = [item.participant(pk, "") for pk in item.details.get("attendee_ids") or []]
    text = f"{item.actor} recorded a MIAM that had already taken place"
    if any(people):
        text += f", with {in_words(people)}"
    at = when(item.details.get("starts_at"))
    return f"{text}, on {at}" if at else text


def _did_not_attend(item: TimelineEvent) -> str:
    people = [item.participant(pk, "") for pk in item.details.get("attendee_ids") or []]
    who = in_words(people) if any(people) else "The party"
    return f"{item.actor} recorded that {who} did not attend a MIAM"


register("miam.moved", "miam", _moved)
register(
    "miam.cancelled",
    "miam",
    lambda i: (
        f"{i.actor} cancelled a MIAM"
        + (
            f" that was booked for {when(i.details.get('starts_at'))}"
            if when(i.details.get("starts_at"))
            else ""
        )
    ),
)
register("miam.did_not_attend", "miam", _did_not_attend)
register("miam.recorded_after", "miam", _recorded_after)
register(
    "appointment.warnings_confirmed",
    "case",
    lambda i: (
        f"{i.actor} booked over "
        + ("a clash" if i.details.get("clash") else "a warning")
        + " after confirming the warnings"
        + (", with a reason kept on the booking" if i.details.get("with_reason") else "")
    ),
)
_MIAM_EMAILS = {
    "booked": "The MIAM booking email",
    "moved": "The email about the moved MIAM",
    "cancelled": "The email about the cancelled MIAM",
    "reminder": "A MIAM reminder",
}

register(
    "miam.reminder_sent",
    "miam",
    # Written when the email is queued: the outbox sends it (or drops it if stale) later.
    lambda i: (
        f"{_MIAM_EMAILS.get(str(i.details.get('kind')), 'A MIAM email')} was queued for "
        f"{i.participant()}"
    ),
)
register(
    "miam.certificate_issued",
    "miam_certificate",
    lambda i: f"{i.actor} issued a MIAM certificate for {i.participant()}",
)
register_prefix("screening.", "screening")
register("screening.recorded", "screening", lambda i: f"{i.actor} recorded a risk screening")
register("screening.updated", "screening", lambda i: f"{i.actor} updated a risk screening")
register(
    "screening.concern_raised",
    "screening",
    lambda i: f"{i.actor} raised a concern from a risk screening",
)
register_prefix("suitability.", "suitability")
register("suitability.decided", "suitability", _suitability)
register("suitability.revised", "suitability", _suitability)
register_prefix("funding.", "funding")
register("funding.recorded", "funding", _funding)
register(
    "screening.repeated",
    "screening",
    lambda i: f"{i.actor} screened {i.participant()} again",
)
register(
    "screening.alert_raised",
    "screening",
    lambda i: (
        "A new screening suggests a stricter route than the decision in force: new bookings "
        "wait for a suitability decision"
    ),
)
register(
    "suitability.overridden",
    "suitability",
    lambda i: f"{i.actor} overrode the suitability decision, with a recorded reason",
)
