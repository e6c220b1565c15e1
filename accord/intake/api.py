"""The enquiries part of the HTTP API (mounted by ``accord.api.api``).

Staff list the enquiries of the cases they may open (the case policy's `view_workspace`), read
one with its conflict check, and record the conflict decision through the service the page calls
(`conflict_check_record`: the service's coordinators and the case's mediators). A party, or staff
who may not open the case, get 404. Matches are only ever searched among cases the caller may
open, as on the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.cases.models import Case, ContactMethod
from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.intake import offer, ratelimit, selectors, services
from accord.intake.models import (
    ConflictDecision,
    Enquiry,
    EnquirySource,
    Issue,
    LADecision,
    SafeToContact,
    Urgency,
)
from accord.organisations.models import Organisation
from accord.organisations.selectors import roles_in, staff_organisation_for

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


_DETAIL_EXAMPLE: dict[str, Any] = {
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


class EnquiryDetailOut(EnquiryOut):
    """An enquiry with its details and its conflict check."""

    model_config = ConfigDict(json_schema_extra={"examples": [_DETAIL_EXAMPLE]})

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
        matches=selectors.conflict_summary(user=user, case=case, limit=0).total,
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


# --- Recording an enquiry: staff, and the public form ------------------------------------------
#
# The same three forms as the pages (family; SEND; civil, workplace or community), each opening
# its case through the service the page calls (`enquiry_submit`, `send_enquiry_submit`,
# `general_enquiry_submit`), which checks everything, saves all of it or nothing, and runs the
# conflict check. Staff record an enquiry taken by phone for their own service; anyone may send
# the public form of a service, which must give a safe way to contact them, is limited per
# address and service exactly as the page is (one count for both ways in), and answers with the
# same thank you whatever exists already: it never names a case, a reference or a person.

#: A service's address, as in its public enquiry page's link.
ServiceSlug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,50}$", examples=["riverside"])]
Email = Annotated[str, Field(max_length=254)]
Phone = Annotated[str, Field(max_length=40)]


class _EnquirerIn(InputSchema):
    """The person enquiring, how to reach them safely, and how urgent it is."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=200, description="The person enquiring.")
    email: Email = Field("", description="Give an email address, a phone number or both.")
    phone: Phone = ""
    address: MultilineText = Field("", max_length=1000)
    safe_contact_methods: list[ContactMethod] = Field(
        default_factory=list,
        max_length=len(ContactMethod.values),
        description=(
            "The ways it is safe to contact them; only these are used. The public form needs an "
            "email or phone given here as safe. " + services.SAFE_CONTACT_REASON
        ),
    )
    safe_contact_notes: MultilineText = Field(
        "", max_length=2000, description="For example: only call after 6pm; no voicemail."
    )
    urgency: Urgency = Field(..., description="routine, soon or urgent.")


class FamilyOtherPersonIn(InputSchema):
    """The other person in a family enquiry, as far as the enquirer knows them."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field("", max_length=200)
    email: Email = ""
    phone: Phone = ""
    address: MultilineText = Field("", max_length=1000)
    safe_to_contact: SafeToContact = Field(
        ..., description="yes, no or unknown: whether the enquirer says it is safe to contact them."
    )


class EnquiryChildIn(InputSchema):
    """A child the family enquiry is about."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=200)
    date_of_birth: dt.date | None = None


FAMILY_EXAMPLE: dict[str, Any] = {
    "full_name": "Dana Green",
    "email": "dana@example.com",
    "phone": "",
    "address": "",
    "date_of_birth": "1988-03-14",
    "safe_contact_methods": ["email"],
    "safe_contact_notes": "Email only, please.",
    "urgency": "routine",
    "issues": ["child_arrangements"],
    "other_issue_details": "",
    "court_proceedings": False,
    "court_details": "",
    "other_parties": [{"full_name": "Sam Green", "safe_to_contact": "yes"}],
    "children": [{"full_name": "Alex Green", "date_of_birth": "2018-05-02"}],
}


class FamilyEnquiryIn(_EnquirerIn):
    """A family enquiry: the issues decide the kind of family case it opens."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [FAMILY_EXAMPLE]})

    date_of_birth: dt.date | None = None
    issues: list[Issue] = Field(
        ..., max_length=len(Issue.values), description="At least one thing to sort out."
    )
    other_issue_details: MultilineText = Field("", max_length=2000)
    court_proceedings: bool = Field(..., description="Whether there are court proceedings.")
    court_details: MultilineText = Field(
        "", max_length=2000, description="Required when there are court proceedings."
    )
    other_parties: list[FamilyOtherPersonIn] = Field(
        default_factory=list, max_length=services.MAX_OTHER_PARTIES
    )
    children: list[EnquiryChildIn] = Field(default_factory=list, max_length=services.MAX_CHILDREN)


SEND_EXAMPLE: dict[str, Any] = {
    "full_name": "Priya Shah",
    "email": "priya@example.com",
    "safe_contact_methods": ["email", "phone"],
    "phone": "07700 900123",
    "urgency": "soon",
    "applicant_role": "parent_carer",
    "child_full_name": "Ravi Shah",
    "child_date_of_birth": "2014-09-01",
    "la_name": "Northshire County Council",
    "la_officer_name": "",
    "la_email": "send@northshire.example",
    "la_phone": "",
    "la_decision": "refuse_assessment",
    "la_decision_date": "2026-11-20",
}


class SendEnquiryIn(_EnquirerIn):
    """A SEND enquiry: the parent or young person, the child, the LA and its decision."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [SEND_EXAMPLE]})

    applicant_role: Literal["parent_carer", "young_person"]
    child_full_name: str = Field(..., max_length=200)
    child_date_of_birth: dt.date
    la_name: str = Field(..., max_length=200, description="The LA that made the decision.")
    la_officer_name: str = Field("", max_length=200)
    la_email: Email = ""
    la_phone: Phone = ""
    la_decision: LADecision
    la_decision_date: dt.date = Field(..., description="The date of the decision letter.")


class GeneralOtherPartyIn(InputSchema):
    """The other party: a person, an organisation, or a person speaking for one."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=200, description="The person's or organisation's name.")
    organisation_name: str = Field("", max_length=200)
    email: Email = ""
    phone: Phone = ""
    address: MultilineText = Field("", max_length=1000)


GENERAL_EXAMPLE: dict[str, Any] = {
    "kind": "workplace",
    "full_name": "Jo Patel",
    "organisation_name": "",
    "email": "jo@example.com",
    "safe_contact_methods": ["email"],
    "urgency": "routine",
    "dispute_summary": "A long-running disagreement with my manager about working hours.",
    "court_proceedings": False,
    "court_details": "",
    "other_parties": [{"full_name": "Chris Long", "organisation_name": "Acme Ltd"}],
}


class GeneralEnquiryIn(_EnquirerIn):
    """A civil, workplace or community enquiry."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [GENERAL_EXAMPLE]})

    kind: Literal["civil", "workplace", "community"]
    organisation_name: str = Field(
        "", max_length=200, description="If enquiring for an organisation, its name."
    )
    dispute_summary: MultilineText = Field(..., max_length=4000)
    court_proceedings: bool = Field(..., description="Court, tribunal or other proceedings.")
    court_details: MultilineText = Field(
        "", max_length=2000, description="Required when there are proceedings."
    )
    other_parties: list[GeneralOtherPartyIn] = Field(
        default_factory=list, max_length=services.MAX_OTHER_PARTIES
    )


class EnquiryReceivedOut(Schema):
    """The same answer to every accepted public enquiry: no case, reference or person named."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service": "Riverside Family Mediation",
                    "message": "Thank you. Riverside Family Mediation will contact you soon.",
                }
            ]
        }
    )

    service: str
    message: str


class RecordedEnquiryOut(EnquiryDetailOut):
    """The enquiry just recorded, with the case it opened and its conflict check."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_DETAIL_EXAMPLE, "source": "staff"}]}
    )


class TooManyEnquiries(DomainError):
    """The address has sent this service as many enquiries as it may this hour."""

    status_code = 429


_ROW_FIELD = re.compile(r"^(other|child)_(\d+)_(.+)$")
#: The LA's contact is added as a participant with these names (see `send_enquiry_submit`).
_LA_PERSON = {"la_full_name": "la_officer_name", "la_organisation_name": "la_name"}


def _api_field(name: str) -> str:
    """The service's form-style field name as the API's: other_1_email → other_parties.0.email."""
    row = _ROW_FIELD.match(name)
    if row is not None:
        where = "other_parties" if row[1] == "other" else "children"
        return f"{where}.{int(row[2]) - 1}.{row[3]}"
    return _LA_PERSON.get(name, name)


def _applicant(payload: _EnquirerIn, names: tuple[str, ...]) -> dict[str, Any]:
    applicant = {name: getattr(payload, name) for name in names}
    applicant["safe_contact_methods"] = [m.value for m in payload.safe_contact_methods]
    applicant["safe_contact_notes"] = payload.safe_contact_notes
    return applicant


def _family(payload: FamilyEnquiryIn) -> tuple[str, Callable[..., Enquiry], dict[str, Any]]:
    names = ("full_name", "email", "phone", "address", "date_of_birth")
    return (
        "family",
        services.enquiry_submit,
        {
            "applicant": _applicant(payload, names),
            "other_parties": [
                {**p.model_dump(), "safe_to_contact": p.safe_to_contact.value}
                for p in payload.other_parties
            ],
            "children": [c.model_dump() for c in payload.children],
            "issues": [i.value for i in payload.issues],
            "other_issue_details": payload.other_issue_details,
            "urgency": payload.urgency.value,
            "court_proceedings": payload.court_proceedings,
            "court_details": payload.court_details,
        },
    )


def _send(payload: SendEnquiryIn) -> tuple[str, Callable[..., Enquiry], dict[str, Any]]:
    return (
        "send",
        services.send_enquiry_submit,
        {
            "applicant": _applicant(payload, ("full_name", "email", "phone", "address")),
            "applicant_role": payload.applicant_role,
            "child": {
                "full_name": payload.child_full_name,
                "date_of_birth": payload.child_date_of_birth,
            },
            "local_authority": {
                "name": payload.la_name,
                "officer_name": payload.la_officer_name,
                "email": payload.la_email,
                "phone": payload.la_phone,
            },
            "la_decision": payload.la_decision.value,
            "la_decision_date": payload.la_decision_date,
            "urgency": payload.urgency.value,
        },
    )


def _general(payload: GeneralEnquiryIn) -> tuple[str, Callable[..., Enquiry], dict[str, Any]]:
    names = ("full_name", "organisation_name", "email", "phone", "address")
    return (
        payload.kind,
        services.general_enquiry_submit,
        {
            "kind": payload.kind,
            "applicant": _applicant(payload, names),
            "other_parties": [p.model_dump() for p in payload.other_parties],
            "dispute_summary": payload.dispute_summary,
            "urgency": payload.urgency.value,
            "court_proceedings": payload.court_proceedings,
            "court_details": payload.court_details,
        },
    )


def _offered(organisation: Organisation, form_code: str) -> None:
    """404 for a form the service does not offer, as the page answers."""
    if not offer.kinds_for_form(form_code, organisation.kinds_offered):
        label = "SEND" if form_code == "send" else form_code
        raise NotFoundOrHidden(f"{organisation.name} does not take {label} mediation enquiries.")


def _submitted(
    form: tuple[str, Callable[..., Enquiry], dict[str, Any]],
    *,
    organisation: Organisation,
    **arguments: Any,
) -> Enquiry:
    """Open the case through the page's service; its refusals name the API's fields."""
    form_code, submit, fields = form
    _offered(organisation, form_code)
    try:
        return submit(organisation=organisation, **arguments, **fields)
    except ValidationFailed as exc:
        raise ValidationFailed(
            exc.message,
            field_errors={_api_field(name): list(m) for name, m in exc.field_errors.items()},
        ) from None


def _record(request: HttpRequest, form: tuple[str, Callable[..., Enquiry], dict[str, Any]]) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    organisation = staff_organisation_for(user)
    if organisation is None or not roles_in(user, organisation.pk) & services.ENQUIRY_RECORDERS:
        raise NotPermitted("Only coordinators, mediators and admins can record enquiries.")
    enquiry = _submitted(form, organisation=organisation, actor=user, source=EnquirySource.STAFF)
    case, fresh = _enquiry_for(user, enquiry.case_id)
    return Status(201, RecordedEnquiryOut(**_detail(user, case, fresh).model_dump()))


def _public(
    request: HttpRequest,
    service_slug: str,
    form: Callable[[], tuple[str, Callable[..., Enquiry], dict[str, Any]]],
) -> Any:
    organisation = Organisation.objects.filter(slug=service_slug).first()
    if organisation is None:
        raise Http404
    key = ratelimit.rate_key(organisation.pk, request.META.get("REMOTE_ADDR", ""))
    if ratelimit.rate_limited(key):
        raise TooManyEnquiries(
            "This address has sent this service as many enquiries as it may for now. "
            "Try again in an hour, or telephone the service."
        )
    _submitted(
        form(),
        organisation=organisation,
        actor=None,
        source=EnquirySource.PUBLIC,
        submitter_ip=request.META.get("REMOTE_ADDR", ""),
    )
    ratelimit.count(key)
    return Status(
        201,
        EnquiryReceivedOut(
            service=organisation.name,
            message=f"Thank you. {organisation.name} will contact you soon.",
        ),
    )


_STAFF_RESPONSES = responses(201, RecordedEnquiryOut, 403, 404, 422)
_PUBLIC_RESPONSES = responses(201, EnquiryReceivedOut, 404, 422, 429)


@router.post("/enquiries/family", response=_STAFF_RESPONSES, summary="Record a family enquiry")
def family_enquiry_record(request: HttpRequest, payload: FamilyEnquiryIn) -> Any:
    """Coordinators, mediators and admins record a family enquiry taken by phone or in person;
    it opens a case for their service (the issues decide its kind) and runs the conflict check,
    as the staff enquiry page does. A mediator who records it leads the case. 404 if the
    service offers no family mediation."""
    return _record(request, _family(payload))


@router.post("/enquiries/send", response=_STAFF_RESPONSES, summary="Record a SEND enquiry")
def send_enquiry_record(request: HttpRequest, payload: SendEnquiryIn) -> Any:
    """As for a family enquiry: opens a SEND case with the parent or young person and the LA.
    404 if the service offers no SEND mediation."""
    return _record(request, _send(payload))


@router.post(
    "/enquiries/general",
    response=_STAFF_RESPONSES,
    summary="Record a civil, workplace or community enquiry",
)
def general_enquiry_record(request: HttpRequest, payload: GeneralEnquiryIn) -> Any:
    """As for a family enquiry, for the `kind` given. 404 if the service does not offer it."""
    return _record(request, _general(payload))


@router.post(
    "/services/{service_slug}/enquiries/family",
    auth=None,
    response=_PUBLIC_RESPONSES,
    summary="Send a service a family enquiry (no sign-in)",
)
def family_enquiry_public(
    request: HttpRequest, service_slug: ServiceSlug, payload: FamilyEnquiryIn
) -> Any:
    """The service's public family enquiry form, without signing in. It needs an email address
    or phone number marked safe in `safe_contact_methods` (422 on `email` or
    `safe_contact_methods` otherwise). One address may send a service 5 enquiries an hour,
    counted with its page (429 after). The answer is the same thank you whatever exists."""
    return _public(request, service_slug, lambda: _family(payload))


@router.post(
    "/services/{service_slug}/enquiries/send",
    auth=None,
    response=_PUBLIC_RESPONSES,
    summary="Send a service a SEND enquiry (no sign-in)",
)
def send_enquiry_public(
    request: HttpRequest, service_slug: ServiceSlug, payload: SendEnquiryIn
) -> Any:
    """The service's public SEND enquiry form; the same rules as the family one."""
    return _public(request, service_slug, lambda: _send(payload))


@router.post(
    "/services/{service_slug}/enquiries/general",
    auth=None,
    response=_PUBLIC_RESPONSES,
    summary="Send a service a civil, workplace or community enquiry (no sign-in)",
)
def general_enquiry_public(
    request: HttpRequest, service_slug: ServiceSlug, payload: GeneralEnquiryIn
) -> Any:
    """The service's public form for the `kind` given; the same rules as the family one."""
    return _public(request, service_slug, lambda: _general(payload))
