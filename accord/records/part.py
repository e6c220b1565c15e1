"""The records part: a party's own requests about their data and their own complaints.

It applies to every kind of case, has no workspace section (complaints and requests are the
service's, handled on the Records pages), and exists so that each party's "Action needed" in the
portal can say when the service will answer them. Nothing it shows names a complaint to the
case team.
"""

from __future__ import annotations

from accord.cases.kinds import ALL_KINDS, Part, register_part

RECORDS = register_part(
    Part("records", "Your data and complaints", ALL_KINDS, "records", "records", 96)
)
