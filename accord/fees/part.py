"""The fees parts: fees and invoices apply to every kind of case; the Family Mediation Voucher
only to family cases with a child arrangements issue (DOMAIN.md section 2.1).

Registered on import, so that whichever module loads first finds them registered.
"""

from __future__ import annotations

from accord.cases.kinds import ALL_KINDS, CHILDREN_KINDS, Part, register_part

FEES = register_part(Part("fees", "Fees and invoices", ALL_KINDS, "fees", "fees and invoices", 90))
VOUCHER = register_part(
    Part(
        "voucher",
        "Family Mediation Voucher",
        CHILDREN_KINDS,
        "fees",
        "the Family Mediation Voucher",
        91,
    )
)
