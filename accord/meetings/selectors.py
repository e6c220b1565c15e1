"""Reads of MIAMs for a user, through the case policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.core.errors import NotFoundOrHidden
from accord.meetings.models import (
    Funding,
    Miam,
    MiamCertificate,
    Screening,
    ScreeningAlert,
    SuitabilityDecision,
)


def miam_list_for(*, user: Any, case: Case) -> QuerySet[Miam]:
    """The case's MIAMs if the user may open its workspace, otherwise none."""
    if not case_policy.can(user, "view_workspace", case):
        return Miam.objects.none()
    return (
        Miam.objects.filter(case=case)
        .select_related("mediator")
        .prefetch_related("attendees")
        .order_by("starts_at", "id")
    )


def miams_attended_by(*, user: Any, case: Case) -> QuerySet[Miam]:
    """The MIAMs of the case that this portal participant attends (none for anyone else)."""
    if not case_policy.can(user, "view", case) or not getattr(user, "pk", None):
        return Miam.objects.none()
    return (
        Miam.objects.filter(case=case, attendees__user_id=user.pk, attendees__portal_access=True)
        .select_related("mediator")
        .distinct()
        .order_by("starts_at", "id")
    )


def miam_get_for(*, user: Any, case: Case, miam_id: Any) -> Miam:
    """One MIAM of the case the user may see; NotFoundOrHidden otherwise."""
    try:
        return miam_list_for(user=user, case=case).get(pk=int(miam_id))
    except (Miam.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such MIAM.") from None


def screenings_for(*, user: Any, case: Case) -> QuerySet[Screening]:
    """The case's screenings, only for its mediators, supervisor and safeguarding lead."""
    if not case_policy.can(user, "view_restricted", case):
        return Screening.objects.none()
    return Screening.objects.filter(case=case).select_related("participant", "miam")


def open_screening_alert_for(*, user: Any, case: Case) -> bool:
    """Whether a newer, stricter screening awaits a suitability decision on the case; only the
    audience that may read screening learns of it (False for everyone else)."""
    if not case_policy.can(user, "view_restricted", case):
        return False
    return ScreeningAlert.objects.filter(case=case, resolved_at__isnull=True).exists()


def screening_find_for(*, user: Any, miam: Miam, participant_id: Any) -> Screening | None:
    """One party's screening at a MIAM, or None if not yet recorded; hidden answers 404."""
    if not case_policy.can(user, "view_restricted", miam.case):
        raise NotFoundOrHidden("No such screening.")
    try:
        return Screening.objects.filter(miam=miam, participant_id=int(participant_id)).first()
    except (TypeError, ValueError):
        raise NotFoundOrHidden("No such screening.") from None


def suitability_for(*, user: Any, case: Case) -> SuitabilityDecision | None:
    """The case's suitability decision for the case team (reasons are shown to fewer: see tag)."""
    if not case_policy.can(user, "view_workspace", case):
        return None
    return SuitabilityDecision.objects.filter(case=case).select_related("decided_by").first()


def miam_certificates_for(*, user: Any, case: Case) -> QuerySet[MiamCertificate]:
    """The case's MIAM certificates for its staff; a party sees only their own; others none."""
    certificates = MiamCertificate.objects.filter(case=case).select_related(
        "party", "miam", "document_version"
    )
    if case_policy.can(user, "view_workspace", case):
        return certificates.order_by("signed_at", "id")
    if case_policy.can(user, "view", case):
        # A party's certificate is theirs alone: the other party never learns of it.
        return certificates.filter(party__user_id=user.pk, party__portal_access=True).order_by(
            "signed_at", "id"
        )
    return MiamCertificate.objects.none()


def fundings_for(*, user: Any, case: Case) -> QuerySet[Funding]:
    """How each party of the case is funded, for staff who may open its workspace; else none."""
    if not case_policy.can(user, "view_workspace", case):
        return Funding.objects.none()
    return (
        Funding.objects.filter(case=case)
        .select_related("participant")
        .order_by("participant__full_name", "participant_id")
    )


def party_fundings_for(*, user: Any, case: Case) -> list[tuple[Participant, Funding | None]]:
    """Each party of the case with their funding (or None), in one query; staff only."""
    if not case_policy.can(user, "view_workspace", case):
        return []
    parties = (
        case.participants.filter(role__in=PARTY_ROLES)
        .select_related("funding")
        .order_by("full_name", "id")
    )
    return [(p, getattr(p, "funding", None)) for p in parties]


def diary_for(*, user: Any, start: Any, end: Any, mediator_id: int | None = None) -> list[Any]:
    """Appointments of every kind in [start, end) on cases this member of staff may see,
    optionally only those of one member of staff (see accord.meetings.appointments)."""
    from accord.meetings.appointments import appointments_between
    from accord.organisations.selectors import staff_organisation_for

    organisation = staff_organisation_for(user)
    if organisation is None:
        return []
    found = appointments_between(organisation.pk, start, end)
    visible = set(
        case_policy.restrict(Case.objects.filter(organisation=organisation), user, "view")
        .filter(pk__in={a.case_id for a in found})
        .values_list("pk", flat=True)
    )
    return [
        a
        for a in found
        if a.case_id in visible and (mediator_id is None or mediator_id in a.staff_ids)
    ]
