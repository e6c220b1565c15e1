"""Pieces the MIAM services share."""

from __future__ import annotations

from typing import Any

from accord.cases.models import Case


def locked_case(actor: Any, case: Case, action: str) -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action=action,
        refusal="You do not have permission to arrange MIAMs on this case.",
    )
