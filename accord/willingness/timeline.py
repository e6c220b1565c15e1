"""How inviting the other party reads on the case timeline."""

from __future__ import annotations

from accord.cases.timeline import TimelineEvent, register, register_prefix


def _invited(item: TimelineEvent) -> str:
    channel = str(item.details.get("channel") or "").replace("_", " ")
    by = f" by {channel}" if channel else ""
    return f"{item.actor} invited {item.participant()} to mediation{by}"


def _answered(item: TimelineEvent) -> str:
    answer = str(item.details.get("answer") or "").replace("_", " ")
    return f"{item.actor} answered the invitation to mediation" + (f": {answer}" if answer else "")


def _attempted(item: TimelineEvent) -> str:
    method = str(item.details.get("method") or "").replace("_", " ")
    return f"{item.actor} tried to contact {item.participant()}" + (
        f" by {method}" if method else ""
    )


register_prefix("willingness.", "willingness")
register("willingness.invited", "willingness", _invited)
register("willingness.answered", "willingness", _answered)
register("willingness.contact_attempted", "willingness", _attempted)
register(
    "willingness.not_engaging",
    "willingness",
    lambda i: "The other party was recorded as not engaging with the invitation",
)
register("willingness.withdrawn", "willingness", lambda i: f"{i.actor} withdrew an invitation")
register(
    "willingness.lapsed",
    "willingness",
    lambda i: "An invitation lapsed without an answer by its date",
)


def _court_order(item: TimelineEvent) -> str:
    orders = {"miam": "a MIAM", "mediation": "mediation"}.get(str(item.details.get("orders")), "")
    what = f" to attend {orders}" if orders else ""
    return f"{item.actor} recorded a court order{what}"


register("willingness.court_order_recorded", "willingness", _court_order)
