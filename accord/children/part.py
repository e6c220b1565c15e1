"""The children parts: family cases about the children (child arrangements, or all issues).

Registered on import, so that whichever module loads first (the app, its timeline or its next
steps) finds them registered.
"""

from __future__ import annotations

from accord.cases.kinds import CHILDREN_KINDS, Part, register_part

CHILDREN = register_part(
    Part("children", "The children", CHILDREN_KINDS, "people", "records of the children", 25)
)
CHILD_INCLUSIVE = register_part(
    Part(
        "child_inclusive",
        "Child-inclusive mediation",
        CHILDREN_KINDS,
        "preparation",
        "child-inclusive mediation",
        38,
    )
)
SCHEDULES = register_part(
    Part("schedules", "Time-share schedules", CHILDREN_KINDS, "mediation", "schedules", 55)
)
MAINTENANCE = register_part(
    Part(
        "maintenance",
        "Child maintenance estimate",
        CHILDREN_KINDS,
        "mediation",
        "child maintenance estimates",
        56,
    )
)
