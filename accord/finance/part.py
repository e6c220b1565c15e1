"""The financial disclosure part: family cases about money and property only.

Registered on import, so that whichever module loads first (the app, its timeline or its next
steps, which the cases app discovers) finds it registered.
"""

from __future__ import annotations

from accord.cases.kinds import FINANCE_KINDS, Part, register_part

DISCLOSURE = register_part(
    Part(
        "disclosure", "Financial disclosure", FINANCE_KINDS, "finance", "financial disclosures", 45
    )
)
