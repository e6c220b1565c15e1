"""Reads of the children, the offers to hear them and their meetings, through the case policy.

- The case's staff see the children and each offer's status, booking and consultant.
- The meeting's notes: the child consultant and the case's mediators; the supervisor only once a
  safeguarding concern was raised from the meeting (`notes_visible`). Never a parent.
- A parent sees their own answer; the other parent's only once both answered.
- A parent sees the feedback only once it was shared, and only what the child approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.children.models import (
    HEARD_FROM_AGE,
    CaseChild,
    ChildOffer,
    OfferStatus,
    ParentConsent,
)
from accord.core.errors import NotFoundOrHidden


def _staff(user: Any, case: Case) -> None:
    if case_policy.can(user, "view_workspace", case):
        return
    if not ChildOffer.objects.filter(case=case, consultant_id=getattr(user, "pk", None)).exists():
        raise NotFoundOrHidden("No such case.")


def children_for_staff(*, user: Any, case: Case) -> list[CaseChild]:
    _staff(user, case)
    return list(CaseChild.objects.filter(case=case).select_related("offer"))


def should_be_offered(child: CaseChild, day: dt.date | None = None) -> bool:
    """Aged 10 or over on the day (today when omitted) and not yet offered."""
    day = day or timezone.localdate()
    return child.age_on(day) >= HEARD_FROM_AGE and not hasattr_offer(child)


def hasattr_offer(child: CaseChild) -> bool:
    try:
        return child.offer is not None
    except ChildOffer.DoesNotExist:
        return False


def child_get_for_staff(*, user: Any, case: Case, child_id: Any) -> CaseChild:
    _staff(user, case)
    try:
        return CaseChild.objects.get(case=case, pk=int(child_id))
    except (CaseChild.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such child.") from None


def offers_for_staff(*, user: Any, case: Case) -> list[ChildOffer]:
    _staff(user, case)
    return list(
        ChildOffer.objects.filter(case=case)
        .select_related("child", "consultant", "brought_by")
        .prefetch_related("answers__participant")
    )


def offer_get_for_staff(*, user: Any, case: Case, offer_id: Any) -> ChildOffer:
    _staff(user, case)
    try:
        return ChildOffer.objects.select_related("case", "child").get(case=case, pk=int(offer_id))
    except (ChildOffer.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such offer.") from None


def is_consultant(user: Any, offer: ChildOffer) -> bool:
    """The offer's child consultant, still a mediator of the service (not on the case team)."""
    from accord.organisations.selectors import roles_in

    pk = getattr(user, "pk", None)
    return (
        pk is not None
        and pk == offer.consultant_id
        and getattr(user, "is_active", False)
        and "mediator" in roles_in(user, offer.organisation_id)
    )


def consultant_case(*, user: Any, case_id: Any) -> Case:
    """A case the user reaches as the child consultant of one of its offers; else hidden."""
    try:
        offer = ChildOffer.objects.select_related("case").filter(
            case_id=int(case_id), consultant_id=getattr(user, "pk", None)
        )[0]
    except (IndexError, TypeError, ValueError):
        raise NotFoundOrHidden("No such case.") from None
    if not is_consultant(user, offer):
        raise NotFoundOrHidden("No such case.")
    return offer.case


def notes_visible(user: Any, offer: ChildOffer) -> bool:
    """Whether the user may read the child meeting's notes.

    The consultant and the case's mediators; the supervisor only once a safeguarding concern was
    raised from the meeting. Never a parent, never other staff.
    """
    pk = getattr(user, "pk", None)
    case = offer.case
    if is_consultant(user, offer):
        return True
    if pk is None or not case_policy.can(user, "view_workspace", case):
        return False
    if pk in (case.lead_mediator_id, case.co_mediator_id):
        return True
    return offer.concern_id is not None and pk == case.supervisor_id


def _my_parent(user: Any, case: Case) -> Participant | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return Participant.objects.filter(
        case=case, role__in=PARTY_ROLES, user_id=pk, portal_access=True
    ).first()


@dataclass(frozen=True)
class PartyOffer:
    """What a parent may know of the offer to hear one child."""

    id: int
    child_name: str
    child_age: int
    my_answer: str
    #: The other parent's answer, only once both answered ("" before).
    other_answer: str
    both_answered: bool
    outcome: str
    meeting_at: dt.datetime | None
    meeting_mode: str
    meeting_place: str
    bringing: bool
    #: Only feedback the child approved, once shared at the feedback session.
    feedback: str


def offers_for_party(*, user: Any, case: Case) -> list[PartyOffer]:
    """The offers to hear the children, as the signed-in parent may see them."""
    me = _my_parent(user, case)
    if me is None:
        return []
    out: list[PartyOffer] = []
    offers = ChildOffer.objects.filter(case=case).select_related("child").order_by("id")
    answers: dict[int, list[ParentConsent]] = {}
    for a in ParentConsent.objects.filter(offer__case=case):
        answers.setdefault(a.offer_id, []).append(a)
    for offer in offers:
        given = answers.get(offer.pk, [])
        both = offer.status != OfferStatus.AWAITING_CONSENT
        mine = next((a.answer for a in given if a.participant_id == me.pk), "")
        other = next((a.answer for a in given if a.participant_id != me.pk), "") if both else ""
        booked = both and offer.status != OfferStatus.DECLINED and offer.starts_at is not None
        out.append(
            PartyOffer(
                id=offer.pk,
                child_name=offer.child.full_name,
                child_age=offer.child.age_on(offer.offered_on),
                my_answer=mine,
                other_answer=other,
                both_answered=both,
                outcome=offer.get_status_display() if both else "",
                meeting_at=offer.starts_at if booked else None,
                meeting_mode=offer.get_mode_display() if booked else "",
                meeting_place=offer.place if booked and offer.brought_by_id == me.pk else "",
                bringing=booked and offer.brought_by_id == me.pk,
                feedback=(
                    offer.feedback
                    if offer.feedback_shared_at and offer.feedback_approved_at
                    else ""
                ),
            )
        )
    return out


def offer_get_for_party(*, user: Any, case: Case, offer_id: Any) -> ChildOffer:
    if _my_parent(user, case) is None:
        raise NotFoundOrHidden("No such offer.")
    try:
        return ChildOffer.objects.get(case=case, pk=int(offer_id))
    except (ChildOffer.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such offer.") from None


def meetings_between(
    *, organisation_id: int, start: dt.datetime, end: dt.datetime
) -> QuerySet[ChildOffer]:
    """Booked child meetings starting in [start, end), for the diary (no notes needed)."""
    return (
        ChildOffer.objects.filter(
            organisation_id=organisation_id, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("case", "brought_by")
        .order_by("starts_at", "id")
    )
