"""Demo story for staff onboarding and court orders (issue 10, items 3 and 6).

Riverside's admin, Priya Shah, has invited a new mediator who has not accepted yet (her Staff
page shows the invitation waiting, to resend or withdraw), and Tom Ellis has recorded the
family court's order that the parties of *Murphy / Lee* attend a MIAM.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accord.accounts.models import User
from accord.calendar.arithmetic import london_date
from accord.cases.models import Case
from accord.demo.clock import story_time
from accord.organisations.models import Accreditation, Organisation, Role
from accord.organisations.services import staff_invite
from accord.willingness.services import court_order_record

DEMO_SLUG = "riverside-demo"


def load_staff_story() -> None:
    """Add a pending staff invitation and a court order to the Riverside demo service."""
    organisation = Organisation.objects.get(slug=DEMO_SLUG)
    admin = User.objects.get(email="admin@riverside.example")
    coordinator = User.objects.get(email="coordinator@riverside.example")
    supervisor = User.objects.get(email="supervisor@riverside.example")
    with story_time(days_ago=2, at="16:10"):
        staff_invite(
            actor=admin,
            organisation=organisation,
            email="sam.whitfield@riverside.example",
            full_name="Sam Whitfield",
            roles=[Role.MEDIATOR],
            fmc_urn="FMC-5120",
            accreditation=Accreditation.PROVISIONAL,
            supervisor_id=supervisor.pk,
        )
    murphy = Case.objects.get(organisation=organisation, title="Murphy / Lee")
    # The order arrived with the referral: recorded the afternoon after the case was opened.
    with story_time(days_ago=1, at="15:30"):
        today = london_date(timezone.now())
        court_order_record(
            actor=coordinator,
            case=murphy,
            court="Family Court at Leeds",
            ordered_on=today - dt.timedelta(days=6),
            orders="miam",
            court_case_number="LS26P00417",
            details="Directions hearing: both parties to attend a MIAM before the next hearing.",
            comply_by=today + dt.timedelta(days=42),
        )
