"""Reads of written outcomes for a user: drafts are for the case's staff only.

Parties never read drafts; an issued document reaches them only as a document version shared
with them (accord.documents.selectors.portal_documents), and `portal_outcomes` lists those
versions with any that were superseded marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.outcomes.models import OutcomeDraft, OutcomeStatus


def outcomes_for(*, user: Any, case: Case) -> QuerySet[OutcomeDraft]:
    """The case's outcomes, newest first, for staff who may open its workspace; else none."""
    if not case_policy.can(user, "view_workspace", case):
        return OutcomeDraft.objects.none()
    return OutcomeDraft.objects.filter(case=case).select_related(
        "drafted_by", "approved_by", "issued_by", "issued_version"
    )


def outcome_get_for(*, user: Any, case: Case, outcome_id: Any) -> OutcomeDraft:
    """One outcome of the case the user may see; NotFoundOrHidden otherwise."""
    try:
        return outcomes_for(user=user, case=case).get(pk=int(outcome_id))
    except (OutcomeDraft.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such outcome.") from None


@dataclass(frozen=True)
class PortalOutcome:
    """One issued version shared with a participant, and what replaced it if superseded."""

    outcome: OutcomeDraft
    superseded_by: OutcomeDraft | None

    @property
    def is_current(self) -> bool:
        return self.outcome.status == OutcomeStatus.ISSUED


def portal_outcomes(*, user: Any, case: Case) -> list[PortalOutcome]:
    """Issued and superseded versions shared with this participant, current ones first.

    One query. A correction is shared with everyone who had the version it replaces, so the
    version that superseded another is normally in the same list; its reason is shown with it.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    rows = list(
        OutcomeDraft.objects.filter(
            case=case,
            status__in=[OutcomeStatus.ISSUED, OutcomeStatus.SUPERSEDED],
            issued_version__shares__participant__user_id=user.pk,
            issued_version__shares__participant__portal_access=True,
        )
        .distinct()
        .order_by("kind", "-version_number")
    )
    by_previous = {row.previous_id: row for row in rows if row.previous_id}
    items = [PortalOutcome(outcome=row, superseded_by=by_previous.get(row.pk)) for row in rows]
    return sorted(items, key=lambda item: not item.is_current)
