"""The SEND mediation part: SEND cases only.

Registered on import, so whichever module loads first (the app, its timeline or its next steps)
finds it registered.
"""

from __future__ import annotations

from accord.cases.kinds import SEND_KINDS, Part, register_part

SEND_PART = register_part(
    Part("send", "SEND mediation steps", SEND_KINDS, "preparation", "SEND mediation steps", 30)
)
