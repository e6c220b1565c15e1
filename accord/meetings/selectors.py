"""Reads of MIAMs for a user, through the case policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.meetings.models import Miam


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


def miam_get_for(*, user: Any, case: Case, miam_id: Any) -> Miam:
    """One MIAM of the case the user may see; NotFoundOrHidden otherwise."""
    try:
        return miam_list_for(user=user, case=case).get(pk=int(miam_id))
    except (Miam.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrHidden("No such MIAM.") from None
