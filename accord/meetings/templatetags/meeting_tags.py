"""The MIAM panel shown in the staff case workspace."""

from __future__ import annotations

from typing import Any

from django import template

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.meetings import selectors, services
from accord.meetings.models import MiamStatus
from accord.meetings.routing import combine

register = template.Library()


@register.inclusion_tag("meetings/_case_miams_body.html", takes_context=True)
def case_miams(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The case's MIAMs, with booking and recording links for those who may change the case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    miams = list(selectors.miam_list_for(user=user, case=case))
    can_screen = case_policy.can(user, "view_restricted", case)
    screened: set[tuple[int | None, int]] = set()
    suggestion = None
    # Screenings hang off MIAMs: with none booked there is nothing to fetch.
    if can_screen and miams:
        screenings = list(selectors.screenings_for(user=user, case=case))
        screened = {(s.miam_id, s.participant_id) for s in screenings}
        suggestion = combine(services.screening_suggestion(s) for s in screenings)
    user_id = getattr(user, "pk", None)
    on_team = user_id is not None and user_id in (case.lead_mediator_id, case.co_mediator_id)
    # Certificates exist only for held MIAMs: with none held there is nothing to fetch.
    any_held = any(miam.status == MiamStatus.HELD for miam in miams)
    refusal = services.certificate_refusal(actor=user, case=case) if any_held else None
    certificates: dict[int, list[Any]] = {}
    if any_held:
        for certificate in selectors.miam_certificates_for(user=user, case=case):
            certificates.setdefault(certificate.miam_id, []).append(certificate)
    fundings = selectors.party_fundings_for(user=user, case=case)
    return {
        "case": case,
        "fundings": fundings if miams or any(f for _, f in fundings) else [],
        "miams": [
            (
                miam,
                [(p, (miam.pk, p.pk) in screened) for p in miam.attendees.all()],
                certificates.get(miam.pk, []),
            )
            for miam in miams
        ],
        "can_change": case_policy.can(user, "change", case),
        # Only the restricted audience learns that screening exists, or what it suggests.
        "can_screen": can_screen,
        "suggestion": suggestion,
        # A newer screening stricter than the decision blocks sessions until a new decision.
        "screening_alert": selectors.open_screening_alert_for(user=user, case=case),
        # Screening goes on throughout: the restricted audience may screen a party again.
        "rescreen_parties": list(case.participants.filter(role="party").order_by("full_name"))
        if can_screen and not case.is_closed
        else [],
        "decision": selectors.suitability_for(user=user, case=case),
        # Certificates: the accredited mediator issues them; a mediator who may not is told why.
        "can_issue": refusal is None,
        "certificate_refusal": refusal if on_team else None,
        "can_decide": getattr(user, "pk", None) in (case.lead_mediator_id, case.co_mediator_id)
        and getattr(user, "pk", None) is not None,
    }


@register.inclusion_tag("meetings/_case_suitability_body.html", takes_context=True)
def case_suitability(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The suitability decision alone, for kinds of case that have one but no MIAMs."""
    request = context.get("request")
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None)
    return {
        "case": case,
        "decision": selectors.suitability_for(user=user, case=case),
        # The reasons may quote what a party said in private: the restricted audience only.
        "can_see_reasons": case_policy.can(user, "view_restricted", case),
        "can_decide": user_id is not None
        and user_id in (case.lead_mediator_id, case.co_mediator_id)
        and not case.is_closed,
    }


@register.inclusion_tag("meetings/_portal_miams_body.html", takes_context=True)
def portal_miams(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The booked MIAMs this participant attends: when, how and where, and nothing else.

    Other attendees (a joint MIAM), the checklist and anything from screening stay off the page.
    A MIAM cancelled for a date still to come stays, marked cancelled (never the reason), so the
    party is not left expecting it; a moved one shows its new time and says it was moved.
    """
    from django.utils import timezone

    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    miams = [
        miam
        for miam in selectors.miams_attended_by(user=user, case=case)
        if miam.status == MiamStatus.BOOKED
        or (miam.status == MiamStatus.CANCELLED and miam.starts_at > now)
    ]
    return {"miams": miams}


@register.filter
def place_or_link(place: str) -> str:
    """A meeting's place, as a real link when it is an http(s) address (a video link)."""
    from django.utils.html import format_html

    from accord.meetings.models import link_or_blank

    url = link_or_blank(place)
    if url:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, place)
    return format_html("{}", place)
