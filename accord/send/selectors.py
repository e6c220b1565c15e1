"""Reads of SEND records for a user, through the case policy.

The case's staff read the SEND record, attendees, actions and certificates; only the case's
mediators and supervisor read the call log (`calls_visible`). A participant of the case sees, in
the portal, the family's view only (`portal_view`): the decision, the actions agreed with their
status and due date, and (for the parent or young person) their choice and the certificate's
appeal deadline; never the call log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.cases import policy as case_policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.send import rules
from accord.send.clocks import FAMILY_ROLES
from accord.send.models import SendAction, SendAttendee, SendCall, SendCertificate, SendRecord


def calls_visible(user: Any, case: Case) -> bool:
    """Whether the user may read the mediators' call log of the case."""
    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk in (case.lead_mediator_id, case.co_mediator_id, case.supervisor_id)
        and case_policy.can(user, "view_workspace", case)
    )


def _staff(user: Any, case: Case) -> None:
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")


@dataclass
class StaffView:
    """Everything about the SEND steps the case's staff may see."""

    record: SendRecord | None
    attendees: list[SendAttendee]
    actions: list[SendAction]
    certificates: list[SendCertificate]
    calls: list[SendCall] = field(default_factory=list)
    calls_visible: bool = False
    run_sheet: list[rules.RunSheetSlot] = field(default_factory=list)
    #: The case's mediation sessions: the SEND meeting is booked and run as one.
    sessions: list[Any] = field(default_factory=list)
    #: Whether an Agreement to Mediate exists, and who must still sign it before the meeting.
    agreement_prepared: bool = False
    unsigned: list[Participant] = field(default_factory=list)


def staff_view(*, user: Any, case: Case) -> StaffView:
    """The case's SEND records for its staff (the call log only for its mediators)."""
    from accord.agreements.gate import current_agreement_packet, unsigned_required
    from accord.mediation.selectors import session_list_for

    _staff(user, case)
    attendees = list(
        SendAttendee.objects.filter(case=case).select_related("participant").order_by("id")
    )
    visible = calls_visible(user, case)
    return StaffView(
        record=SendRecord.objects.filter(case=case).first(),
        attendees=attendees,
        actions=list(SendAction.objects.filter(case=case).order_by("id")),
        certificates=list(SendCertificate.objects.filter(case=case).order_by("issued_at")),
        calls=(
            list(SendCall.objects.filter(case=case).select_related("participant", "caller"))
            if visible
            else []
        ),
        calls_visible=visible,
        run_sheet=rules.run_sheet((a.participant.full_name, a.attends_as) for a in attendees),
        sessions=list(session_list_for(user=user, case=case)),
        agreement_prepared=current_agreement_packet(case) is not None,
        unsigned=unsigned_required(case),
    )


def action_get_for_staff(*, user: Any, case: Case, action_id: Any) -> SendAction:
    """One agreed action of the case for its staff."""
    _staff(user, case)
    try:
        return SendAction.objects.get(case=case, pk=int(action_id))
    except (SendAction.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such action.") from None


def attendee_get_for_staff(*, user: Any, case: Case, attendee_id: Any) -> SendAttendee:
    """One attendee of the case's meeting for its staff."""
    _staff(user, case)
    try:
        return SendAttendee.objects.select_related("participant").get(
            case=case, pk=int(attendee_id)
        )
    except (SendAttendee.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such attendee.") from None


def _mine(user: Any, case: Case) -> list[Participant]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Participant.objects.filter(case=case, user_id=user.pk, portal_access=True))


def portal_view(*, user: Any, case: Case) -> dict[str, Any] | None:
    """What a participant sees of the SEND steps: the actions' status and due date, the outcome
    issued and the appeal deadline. None for someone who is not a portal participant."""
    mine = _mine(user, case)
    if not mine:
        return None
    record = SendRecord.objects.filter(case=case).first()
    if record is None:
        return None
    # The choice and the appeal deadline are the family's: the LA officer (or anyone else with a
    # portal) sees the decision, the Mediation Outcome and the agreed actions only.
    family = any(p.role in FAMILY_ROLES for p in mine)
    actions = [
        {
            "description": a.description,
            "owner": a.get_owner_display(),
            "owner_name": a.owner_name,
            "due_at": a.due_at,
            "done": a.is_done,
            "done_at": a.done_at,
        }
        for a in SendAction.objects.filter(case=case).order_by("id")
    ]
    certificate = SendCertificate.objects.filter(case=case).order_by("-issued_at").first()
    return {
        "record": {
            "decision": record.get_la_decision_display(),
            "decision_notice_date": record.decision_notice_date,
            "issues": record.issue_labels,
            "choice": (
                record.get_family_choice_display() if family and record.family_choice else ""
            ),
            "outcome_issued_at": record.outcome_issued_at,
            "ehc_wording_note": record.ehc_wording_note,
        },
        "actions": actions,
        "certificate": (
            {
                "kind": certificate.get_kind_display(),
                "issued_at": certificate.issued_at,
                "appeal_deadline": certificate.appeal_deadline,
            }
            if certificate and family
            else None
        ),
        "family": family,
    }
