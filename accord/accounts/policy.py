"""Who may do what with their own account."""

from __future__ import annotations

from typing import Any


def may_make_api_tokens(user: Any) -> bool:
    """Staff (and operators) may make personal API tokens; a party only if a service allows it.

    A party is anyone whose sign-in is linked to a case participant and who is staff nowhere;
    their service turns tokens on in its settings (``Organisation.party_api_tokens``).
    """
    from accord.cases.models import Participant
    from accord.organisations.models import Organisation
    from accord.organisations.selectors import is_staff_member

    if not getattr(user, "is_authenticated", False):
        return False
    if is_staff_member(user):
        return True
    services = Participant.objects.filter(user=user).values("organisation_id")
    if not services.exists():
        return True  # an operator account: no service to ask
    return Organisation.objects.filter(pk__in=services, party_api_tokens=True).exists()
