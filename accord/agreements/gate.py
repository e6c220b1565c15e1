"""Who still has to sign the Agreement to Mediate: the gate every session start goes through.

Contract (used by accord.mediation before a session may start):
- `unsigned_required(case)` lists the participants who must sign the case's current Agreement to
  Mediate and have not (online or by an uploaded wet-ink copy), in a stable order.
- `ensure_agreement_signed(case)` raises `ValidationFailed` naming them when that list is not empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.cases.models import Case, Participant


def unsigned_required(case: Case) -> list[Participant]:
    """The participants who must sign the case's Agreement to Mediate and have not yet."""
    raise NotImplementedError("The agreements app is being built; see its brief.")


def ensure_agreement_signed(case: Case) -> None:
    """Refuse to go on while anyone required has not signed the Agreement to Mediate."""
    raise NotImplementedError("The agreements app is being built; see its brief.")
