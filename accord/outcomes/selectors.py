"""Reads of written outcomes for a user: drafts are for the case's staff only.

Parties never read drafts; an issued document reaches them only as a document version shared
with them (accord.documents.selectors.portal_documents).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.outcomes.models import OutcomeDraft


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
