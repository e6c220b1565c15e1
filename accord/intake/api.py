"""The enquiries part of the HTTP API (mounted by ``accord.api.api``).

Staff list the enquiries of the cases they may open (the case policy's `view_workspace`), read
one with its conflict check, and record the conflict decision through the service the page calls
(`conflict_check_record`: the service's coordinators and the case's mediators). A party, or staff
who may not open the case, get 404. Matches are only ever searched among cases the caller may
open, as on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.intake import selectors, services
from accord.intake.models import ConflictDecision, Enquiry

router = Router(tags=["enquiries"])

#: Database ids: positive and within a 64-bit integer, so nonsense ids fail validation cleanly.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]
MAX_PAGE_SIZE = 200


class EnquiryListQuery(InputSchema):
    """Filters and keyset paging for the enquiry list (newest first)."""

    model_config = ConfigDict(extra="forbid")

    service_id: ObjectId | None = Field(None, description="Only this service's enquiries.")
    awaiting_conflict_check: bool | None = Field(
        None, description="True: only those with no conflict decision yet; false: only decided."
    )
    before_id: ObjectId | None = Field(
        None, description="Keyset cursor: only enquiries with a smaller id (the last id seen)."
    )
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Page size.")


class ConflictDecisionIn(InputSchema):
    """The decision on an enquiry's conflict check."""

    model_config = ConfigDict(extra="forbid")

    decision: ConflictDecision = Field(
        ...,
        description="no_conflict, conflict (the service cannot act) or proceed (with a note).",
        examples=["proceed"],
    )
    note: MultilineText = Field(
        "",
        max_length=2000,
        description="Required unless the decision is no_conflict.",
        examples=["Same surname only; a different family. Safe to proceed."],
    )


class ChildOut(Schema):
    """A child named in the enquiry."""

    full_name: str
    date_of_birth: dt.date | None


class EnquiryOut(Schema):
    """An enquiry, as it was given, and where its conflict check stands."""

    id: int
    case_id: int
    case_reference: str
    service_id: int
    source: str = Field(description="public or staff: who filled in the enquiry form.")
    issues: list[str]
    urgency: str
    court_proceedings: bool
    submitted_at: dt.datetime
    conflict_decision: str = Field(description="Empty until decided.")
    conflict_note: str
    conflict_decided_by: str | None
    conflict_decided_at: dt.datetime | None


class ConflictMatchOut(Schema):
    """Someone on this case who also appears in another case the caller may open."""

    person: str
    other_case_id: int
    other_case_reference: str
    other_person: str
    reasons: list[str] = Field(examples=[["name and date of birth", "email"]])


class EnquiryDetailOut(EnquiryOut):
    """An enquiry with its details and its conflict check."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "case_id": 17,
                    "case_reference": "RFM-2026-0017",
                    "service_id": 1,
                    "source": "public",
                    "issues": ["child_arrangements"],
                    "urgency": "routine",
                    "court_proceedings": False,
                    "submitted_at": "2026-12-01T09:30:00Z",
                    "conflict_decision": "",
                    "conflict_note": "",
                    "conflict_decided_by": None,
                    "conflict_decided_at": None,
                    "other_issue_details": "",
                    "court_details": "",
                    "dispute_summary": "Arrangements for the children after separation.",
                    "la_decision": "",
                    "la_decision_date": None,
                    "children": [{"full_name": "Sam Green", "date_of_birth": "2018-05-02"}],
                    "conflict_matches": [
                        {
                            "person": "Dana Green",
                            "other_case_id": 9,
                            "other_case_reference": "RFM-2025-0009",
                            "other_person": "Dana Green",
                            "reasons": ["email"],
                        }
                    ],
                    "conflict_checked_at": "2026-12-06T10:02:00Z",
                    "can_decide": True,
                }
            ]
        }
    )

    other_issue_details: str
    court_details: str
    dispute_summary: str
    la_decision: str
    la_decision_date: dt.date | None
    children: list[ChildOut]
    conflict_matches: list[ConflictMatchOut] = Field(
        description=(
            "The stored conflict check (run when the enquiry arrived, or again on request), "
            "limited to cases the caller may open."
        )
    )
    conflict_checked_at: dt.datetime | None = Field(
        description="When the conflict check last ran; re-run it after people change."
    )
    can_decide: bool = Field(description="Whether the caller may record the conflict decision.")


def _fields(enquiry: Enquiry) -> dict[str, Any]:
    decider = enquiry.conflict_decided_by
    return {
        "id": enquiry.pk,
        "case_id": enquiry.case_id,
        "case_reference": enquiry.case.reference,
        "service_id": enquiry.organisation_id,
        "source": enquiry.source,
        "issues": [str(issue) for issue in enquiry.issues or []],
        "urgency": enquiry.urgency,
        "court_proceedings": enquiry.court_proceedings,
        "submitted_at": enquiry.submitted_at,
        "conflict_decision": enquiry.conflict_decision,
        "conflict_note": enquiry.conflict_note,
        "conflict_decided_by": str(decider.full_name or decider.email) if decider else None,
        "conflict_decided_at": enquiry.conflict_decided_at,
    }


def _enquiry_for(user: Any, case_id: int) -> tuple[Case, Enquiry]:
    case = case_selectors.case_get_for(user=user, case_id=case_id, action="view_workspace")
    enquiry = selectors.enquiry_for_case(user=user, case=case)
    if enquiry is None:
        raise NotFoundOrHidden("This case did not start from an enquiry.")
    return case, enquiry


def _detail(user: Any, case: Case, enquiry: Enquiry) -> EnquiryDetailOut:
    matches = selectors.conflict_matches(user=user, case=case)
    return EnquiryDetailOut(
        **_fields(enquiry),
        other_issue_details=enquiry.other_issue_details,
        court_details=enquiry.court_details,
        dispute_summary=enquiry.dispute_summary,
        la_decision=enquiry.la_decision,
        la_decision_date=enquiry.la_decision_date,
        children=[
            ChildOut(full_name=c.full_name, date_of_birth=c.date_of_birth)
            for c in enquiry.children.all()
        ],
        conflict_checked_at=enquiry.conflict_checked_at,
        conflict_matches=[
            ConflictMatchOut(
                person=m.person,
                other_case_id=m.other_case.pk,
                other_case_reference=m.other_case.reference,
                other_person=m.other_person,
                reasons=list(m.reasons),
            )
            for m in matches
        ],
        can_decide=case_policy.can(user, "change", case),
    )


@router.get(
    "/enquiries",
    response=responses(200, list[EnquiryOut], 422),
    summary="List enquiries",
)
def enquiry_list(request: HttpRequest, filters: Query[EnquiryListQuery]) -> list[EnquiryOut]:
    """Staff: the enquiries behind the cases they may open, newest first, `limit` at a time; pass
    the last id seen as `before_id` for the next page. A party gets an empty list."""
    user = request.auth  # type: ignore[attr-defined]
    cases = case_policy.restrict(Case.objects.all(), user, "view_workspace")
    qs = Enquiry.objects.filter(case__in=cases.values("pk")).select_related(
        "case", "conflict_decided_by"
    )
    if filters.service_id is not None:
        qs = qs.filter(organisation_id=filters.service_id)
    if filters.awaiting_conflict_check is True:
        qs = qs.filter(conflict_decision="")
    elif filters.awaiting_conflict_check is False:
        qs = qs.exclude(conflict_decision="")
    if filters.before_id is not None:
        qs = qs.filter(pk__lt=filters.before_id)
    return [EnquiryOut(**_fields(e)) for e in qs.order_by("-id")[: filters.limit]]


@router.get(
    "/cases/{case_id}/enquiry",
    response=responses(200, EnquiryDetailOut, 404, 422),
    summary="Read a case's enquiry and conflict check",
)
def enquiry_get(request: HttpRequest, case_id: ObjectId) -> Any:
    """The enquiry that opened the case, with the people on it found in other cases of the
    service the caller may open. 404 for a case that did not start from an enquiry."""
    user = request.auth  # type: ignore[attr-defined]
    case, enquiry = _enquiry_for(user, case_id)
    return _detail(user, case, enquiry)


@router.post(
    "/cases/{case_id}/enquiry/conflict-decision",
    response=responses(200, EnquiryDetailOut, 403, 404, 422),
    summary="Record the conflict check decision",
)
def conflict_decision(request: HttpRequest, case_id: ObjectId, payload: ConflictDecisionIn) -> Any:
    """The service's coordinators and the case's mediators record whether the service can act;
    a decision other than no_conflict needs a note."""
    user = request.auth  # type: ignore[attr-defined]
    case, enquiry = _enquiry_for(user, case_id)
    services.conflict_check_record(
        actor=user,
        enquiry=enquiry,
        decision=payload.decision,
        note=payload.note,
        matches=len(selectors.conflict_matches(user=user, case=case)),
    )
    case, enquiry = _enquiry_for(user, case_id)
    return _detail(user, case, enquiry)


@router.post(
    "/cases/{case_id}/enquiry/conflict-check",
    response=responses(200, EnquiryDetailOut, 403, 404, 422),
    summary="Run the conflict check again",
)
def conflict_check_run(request: HttpRequest, case_id: ObjectId) -> Any:
    """After people were added to the case or their details changed, run the check again and
    store its result (what the page's "Run the check again" does); the answer shows it."""
    user = request.auth  # type: ignore[attr-defined]
    _, enquiry = _enquiry_for(user, case_id)
    services.conflict_check_run(actor=user, enquiry=enquiry)
    case, enquiry = _enquiry_for(user, case_id)
    return _detail(user, case, enquiry)
