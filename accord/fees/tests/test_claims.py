"""The monthly legal aid claim lists exactly what DOMAIN.md says the Legal Aid Agency pays for
(sections 2.1 and 9), for every kind of case: the aided party's MIAM and the other party's free
MIAM, sessions for the aided party and the other party's free first session, written outcomes
issued for the aided party; never missed appointments, work of another month, or any work on a
kind of case legal aid does not cover."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.calendar import london_wall_time
from accord.cases import kinds
from accord.cases.models import CaseKind, Participant
from accord.cases.services import case_open
from accord.documents.models import Document, DocumentVersion
from accord.fees import reports
from accord.mediation.models import MediationSession
from accord.meetings.models import Funding, Miam
from accord.outcomes.models import OutcomeDraft

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def _at(days: int, hour: int = 10) -> dt.datetime:
    return london_wall_time(DAY + dt.timedelta(days=days), dt.time(hour, 0))


def _case_with_work(service: Any, kind: str) -> tuple[Any, Participant, Participant]:
    """Ann legally aided, Ben freed by her; MIAMs, two sessions, a missed one, an outcome, and
    a session in the next month."""
    org = service.organisation
    case = case_open(
        actor=service.coordinator,
        organisation=org,
        kind=kind,
        title="Claim / Case",
        lead_mediator=service.mediator,
    )
    ann, ben = (
        Participant.objects.create(organisation=org, case=case, role="party", full_name=name)
        for name in ("Ann Aided", "Ben Freed")
    )
    Funding.objects.create(
        organisation=org,
        case=case,
        participant=ann,
        kind="legal_aid",
        legal_aid_basis="passported",
        legal_aid_outcome="eligible",
    )
    Funding.objects.create(
        organisation=org,
        case=case,
        participant=ben,
        kind="private",
        miam_and_first_session_funded=True,
    )
    for days, who, status in ((0, ann, "held"), (1, ben, "held"), (2, ben, "did_not_attend")):
        miam = Miam.objects.create(
            organisation=org,
            case=case,
            mediator=service.mediator,
            starts_at=_at(days),
            mode="video",
            place="https://v.example",
            status=status,
        )
        miam.attendees.set([who])
    for number, days, status in ((1, 5, "held"), (2, 9, "held"), (3, 12, "did_not_attend")):
        MediationSession.objects.create(
            organisation=org,
            case=case,
            number=number,
            format="joint",
            starts_at=_at(days),
            duration_minutes=90,
            mode="video",
            place="https://v.example",
            status=status,
        )
    MediationSession.objects.create(  # next month: not in this claim
        organisation=org,
        case=case,
        number=4,
        format="joint",
        starts_at=_at(25),
        duration_minutes=90,
        mode="video",
        place="https://v.example",
        status="held",
    )
    document = Document.objects.create(
        organisation=org, case=case, code="parenting-plan", title="Parenting plan"
    )
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        template_code="parenting-plan",
        template_version=1,
        produced_at=_at(15),
        content="x.pdf",
        file_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    first = OutcomeDraft.objects.create(
        organisation=org,
        case=case,
        kind="parenting_plan",
        status="superseded",
        drafted_by=service.mediator,
        issued_by=service.mediator,
        issued_at=_at(15),
        issued_version=version,
        superseded_at=_at(16),
    )
    OutcomeDraft.objects.create(  # a correction is not a second outcome to claim
        organisation=org,
        case=case,
        kind="parenting_plan",
        status="issued",
        drafted_by=service.mediator,
        issued_by=service.mediator,
        issued_at=_at(16),
        issued_version=version,
        version_number=2,
        previous=first,
    )
    return case, ann, ben


@pytest.mark.parametrize("kind", CaseKind.values)
def test_the_claim_lists_exactly_the_claimable_work_per_kind_of_case(
    service: Any, kind: str
) -> None:
    case, _, _ = _case_with_work(service, kind)
    rows = [r for r in reports.claims_rows(service.organisation, 2026, 3) if r[0] == case.reference]
    got = sorted((r[1], r[2], r[3], r[4]) for r in rows)
    if not kinds.applies(kind, "funding"):
        # Legal aid covers family mediation only: nothing of a civil, workplace, community or
        # SEND case is claimed, whatever its funding rows say.
        assert got == []
        return
    free = "free: the other party is legally aided"
    assert got == sorted(
        [
            ("MIAM", "2026-03-10", "Ann Aided", "legal aid"),
            ("MIAM", "2026-03-11", "Ben Freed", free),
            ("Session 1", "2026-03-15", "Ann Aided", "legal aid"),
            ("Session 1", "2026-03-15", "Ben Freed", free),
            ("Session 2", "2026-03-19", "Ann Aided", "legal aid"),
            ("Outcome: Parenting plan", "2026-03-25", "Ann Aided", "legal aid"),
        ]
    )
    # The next month's claim holds only the session held then.
    april = reports.claims_rows(service.organisation, 2026, 4)
    april = [r for r in april if r[0] == case.reference]
    assert [(r[1], r[3]) for r in april] == [("Session 4", "Ann Aided")]


def test_a_case_whose_only_assessment_failed_claims_nothing(service: Any) -> None:
    case, ann, ben = _case_with_work(service, "family_all")
    Funding.objects.filter(participant=ann).update(legal_aid_outcome="not_eligible")
    Funding.objects.filter(participant=ben).update(miam_and_first_session_funded=False)
    rows = reports.claims_rows(service.organisation, 2026, 3)
    assert [r for r in rows if r[0] == case.reference] == []


def test_the_claim_csv_has_a_header_and_one_line_per_item(service: Any) -> None:
    _case_with_work(service, "family_children")
    lines = reports.claims_csv(service.organisation, 2026, 3).strip().splitlines()
    assert lines[0] == "case,item,date,party,basis,evidence"
    assert len(lines) == 1 + 6
