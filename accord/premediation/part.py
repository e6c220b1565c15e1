"""The pre-mediation part: civil, workplace and community cases only (never family or SEND).

Registered on import, so that whichever module loads first (the app, its timeline or its next
steps, which the cases app discovers) finds it registered.
"""

from __future__ import annotations

from accord.cases.kinds import GENERAL_KINDS, Part, register_part

PREMEDIATION = register_part(
    Part(
        "premediation",
        "Pre-mediation meetings",
        GENERAL_KINDS,
        "preparation",
        "pre-mediation meetings",
        35,
    )
)
