"""Demo story: a complaint in progress and a subject-access request.

On Riverside's family case Khan / Wright, Daniel Wright complains from his portal that his
mediator cut him short at the MIAM; the service admin, Priya Shah, has acknowledged it and the
response is due (it is not shared with the mediator). Sarah Khan has asked from her portal for a
copy of her data; the answer is due within a month. Called once from `demo_load()`.
"""

from __future__ import annotations

from django.utils import timezone

from accord.accounts.models import User
from accord.calendar import london_date
from accord.cases.models import Case, Participant
from accord.complaints.services import complaint_acknowledge, complaint_make_from_portal
from accord.records.services import subject_access_request_make


def load_records_story() -> None:
    case = Case.objects.filter(title="Khan / Wright").select_related("organisation").first()
    if case is None:
        return
    daniel = Participant.objects.filter(case=case, full_name="Daniel Wright").first()
    sarah = Participant.objects.filter(case=case, full_name="Sarah Khan").first()
    admin = User.objects.filter(email="admin@riverside.example").first()
    if daniel is None or sarah is None or admin is None or daniel.user is None:
        return
    complaint = complaint_make_from_portal(
        actor=daniel.user,
        case=case,
        about=(
            "At my MIAM the mediator kept cutting me short when I tried to explain the school "
            "run, and I felt my side was not heard."
        ),
        about_mediator=True,
        fmsb_consent=True,
    )
    complaint_acknowledge(actor=admin, complaint=complaint, on=london_date(timezone.now()))
    if sarah.user is not None:
        subject_access_request_make(actor=sarah.user, participant=sarah)
