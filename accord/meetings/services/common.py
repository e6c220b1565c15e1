"""Pieces the MIAM services share."""

from __future__ import annotations

from typing import Any

from accord.cases import policy as case_policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden, NotPermitted


def locked_case(actor: Any, case: Case, action: str) -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if not case_policy.can(actor, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    if not case_policy.can(actor, action, case):
        raise NotPermitted("You do not have permission to arrange MIAMs on this case.")
    return case
