"""Reads of the willingness step for a user, through the case policy.

Invitations, answers and contact attempts are for staff who may open the case workspace; the
other party's written answer is never shown to another party (DOMAIN.md section 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.willingness import codes
from accord.willingness.models import (
    ContactAttempt,
    CourtOrder,
    InvitationStatus,
    WillingnessInvitation,
)

#: Workspace states and what the panel says for each.
STATE_LABELS = {
    "not_invited": "Not invited yet",
    "awaiting_answer": "Waiting for an answer",
    "willing": "Willing to attend a MIAM",
    "info_requested": "Asked for more information",
    "withdrawn": "Invitation withdrawn",
    "not_engaging": "Not engaging",
}


@dataclass(frozen=True)
class WillingnessState:
    """Where the willingness step stands on a case, from its latest invitation."""

    code: str
    latest: WillingnessInvitation | None

    @property
    def label(self) -> str:
        """The state in words."""
        return STATE_LABELS[self.code]

    @property
    def not_engaging(self) -> bool:
        """True when the other party refused or did not answer in time."""
        return self.code == "not_engaging"


def state_code(invitation: WillingnessInvitation | None) -> str:
    """The workspace state a case's latest invitation (or none) puts it in."""
    if invitation is None:
        return "not_invited"
    return {
        InvitationStatus.INVITED: "awaiting_answer",
        InvitationStatus.WILLING: "willing",
        InvitationStatus.INFO_REQUESTED: "info_requested",
        InvitationStatus.WITHDRAWN: "withdrawn",
        InvitationStatus.NOT_WILLING: "not_engaging",
        InvitationStatus.LAPSED: "not_engaging",
    }[InvitationStatus(invitation.status)]


def willingness_state(case: Case) -> WillingnessState:
    """The case's willingness state: "not_engaging" when the latest invitation lapsed or was
    refused. Holds no answer text, so other apps may use it to decide that the route goes on."""
    latest = WillingnessInvitation.objects.filter(case=case).order_by("-sent_at", "-id").first()
    return WillingnessState(code=state_code(latest), latest=latest)


def invitations_for(*, user: Any, case: Case) -> QuerySet[WillingnessInvitation]:
    """The case's invitations, with answers, if the user may open its workspace; else none."""
    if not case_policy.can(user, "view_workspace", case):
        return WillingnessInvitation.objects.none()
    return (
        WillingnessInvitation.objects.filter(case=case)
        .select_related("participant", "created_by", "answer", "letter")
        .order_by("-sent_at", "-id")
    )


def invitation_get_for(*, user: Any, case: Case, invitation_id: Any) -> WillingnessInvitation:
    """One invitation of the case the user may see; NotFoundOrHidden otherwise."""
    try:
        return invitations_for(user=user, case=case).get(pk=int(invitation_id))
    except (WillingnessInvitation.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such invitation.") from None


def contact_attempts_for(*, user: Any, case: Case) -> QuerySet[ContactAttempt]:
    """The case's logged contact attempts, for staff who may open its workspace."""
    if not case_policy.can(user, "view_workspace", case):
        return ContactAttempt.objects.none()
    return (
        ContactAttempt.objects.filter(case=case)
        .select_related("participant", "by")
        .order_by("-at", "-id")
    )


def invitation_for_code(secret: str) -> WillingnessInvitation | None:
    """The invitation an answer code opens (for the public page), or None."""
    code = codes.normalise(secret)
    if not code:
        return None
    return (
        WillingnessInvitation.objects.select_related("case__organisation")
        .filter(secret_hash=codes.code_hash(code))
        .first()
    )


def enquiry_safety(case: Case) -> list[tuple[str, str]]:
    """Each party the enquirer said is not safe to contact ("no") or did not know ("unknown").

    For the invite page, whose users may change the case and so already see its people.
    """
    from accord.intake.models import Enquiry, SafeToContact

    enquiry = Enquiry.objects.filter(case=case).only("other_parties_safe").first()
    answers = {
        int(pk): answer
        for pk, answer in ((enquiry.other_parties_safe or {}) if enquiry else {}).items()
        if answer in (SafeToContact.NO, SafeToContact.UNKNOWN) and str(pk).isdigit()
    }
    people = case.participants.filter(pk__in=answers).order_by("full_name")
    return [(person.full_name, answers[person.pk]) for person in people]


def court_orders_for(*, user: Any, case: Case) -> QuerySet[CourtOrder]:
    """The court orders recorded on a case, for staff who may open its workspace; else none."""
    if not case_policy.can(user, "view_workspace", case):
        return CourtOrder.objects.none()
    return (
        CourtOrder.objects.filter(case=case)
        .select_related("recorded_by", "deadline")
        .order_by("-ordered_on", "-id")
    )


def invitation_email_states(invitations: list[Any]) -> dict[int, Any]:
    """The outbox email of each emailed invitation, by invitation id, in one query.

    Lets the page say "queued" until the email is handed to the mail server, then "sent", and
    say so plainly if it could not be delivered.
    """
    from accord.deadlines.conf import message_id_domain
    from accord.deadlines.models import OutboundEmail

    domain = message_id_domain()
    wanted = {
        f"<accord.willingness.invitation.{invitation.pk}@{domain}>": invitation.pk
        for invitation in invitations
        if invitation.channel == "email"
    }
    if not wanted:
        return {}
    emails = OutboundEmail.objects.filter(message_id__in=list(wanted)).only(
        "message_id", "status", "delivered_at"
    )
    return {wanted[email.message_id]: email for email in emails}
