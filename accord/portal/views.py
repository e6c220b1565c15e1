"""The participant portal: a person's own cases, as much as a participant may see of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accord.cases.models import Case, ContactMethod, Participant
from accord.cases.selectors import (
    ParticipantView,
    case_get_for,
    cases_for_participant,
    is_portal_party,
    participant_views,
    portal_cases_for,
)
from accord.core.errors import NotFoundOrHidden
from accord.organisations.selectors import is_staff_member
from accord.portal.progress import actions_for, other_party_answer_line, portal_facts
from accord.portal.stages import stage_in_plain_words

_CONTACT_METHOD_LABELS = dict(ContactMethod.choices)


@dataclass(frozen=True)
class PortalCase:
    """A case as its participants see it in the portal: no staff notes, no one else's details."""

    case: Case
    stage_words: str

    @classmethod
    def of(cls, case: Case, mine: list[Participant] | None = None) -> PortalCase:
        """The case as these participations of the reader see it (their own, from the records)."""
        from accord.finance.next_steps import disclosure_words

        facts = portal_facts(case, mine) if mine else []
        words = stage_in_plain_words(case.workflow.name, case.stage, case.stage_label, facts)
        money = disclosure_words(case, mine) if mine else ""  # due, shared, statement issued
        return cls(case=case, stage_words=f"{words} {money}" if money else words)


def _mine(user: Any, case: Case) -> list[Participant]:
    """The user's own portal participations in the case."""
    return list(Participant.objects.filter(case=case, user_id=user.pk, portal_access=True))


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", {"nav": "portal"}, status=404)


def _own_details(view: ParticipantView) -> dict[str, Any]:
    """The signed-in participant's own contact details, with contact methods in words."""
    return {
        "view": view,
        "methods": [_CONTACT_METHOD_LABELS.get(m, m) for m in view.safe_contact_methods],
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The cases the signed-in person takes part in; staff who are a party in none go to their
    dashboard instead."""
    own_cases = portal_cases_for(user=request.user)
    if is_staff_member(request.user) and not own_cases:
        return redirect("cases:dashboard")
    cases = [PortalCase.of(case, _mine(request.user, case)) for case in own_cases]
    return render(request, "portal/home.html", {"nav": "portal", "portal_cases": cases})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the person's own cases; any other case answers 404, whether it exists or not."""
    if is_staff_member(request.user) and not is_portal_party(request.user, pk):
        return redirect("cases:dashboard")
    try:
        case = case_get_for(user=request.user, case_id=pk)
    except NotFoundOrHidden:
        return _not_found(request)
    # Only through the portal participation itself, never through any other route to "view".
    if not cases_for_participant(user=request.user).filter(pk=case.pk).exists():
        return _not_found(request)
    views = participant_views(user=request.user, case=case)
    own = [_own_details(v) for v in views if v.participant.user_id == request.user.pk]
    # Names and roles only: the template never holds anyone else's record.
    others = [
        {"full_name": v.full_name, "role_label": v.role_label}
        for v in views
        if v.participant.user_id != request.user.pk
    ]
    mediators = [m for m in (case.lead_mediator, case.co_mediator) if m is not None]
    mine = _mine(request.user, case)
    context = {
        "nav": "portal",
        "portal_case": PortalCase.of(case, mine),
        "actions": actions_for(case, mine),
        "other_party_line": other_party_answer_line(case, mine),
        "case": case,
        "organisation": case.organisation,
        "mediators": mediators,
        "own_details": own,
        "others": others,
    }
    return render(request, "portal/case_detail.html", context)
