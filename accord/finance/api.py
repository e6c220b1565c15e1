"""Financial disclosure in the HTTP API (mounted by ``accord.api.api``), under the same policy
as the pages: the case team reads both disclosures as they are; a party reads their own, and the
other party's only as shared (with changes since marked). Amounts go in as pounds in a string
("1250.50", at most 2 decimal places) and come out as integer pence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from accord.api.schemas import InputSchema, MultilineText, responses
from accord.cases.models import Case, Participant
from accord.cases.selectors import case_get_for
from accord.core.errors import NotFoundOrHidden, ValidationFailed
from accord.finance import selectors, services
from accord.finance.models import DisclosureItem
from accord.finance.money import MoneyError, pounds_to_pence

router = Router(tags=["finance"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ItemIn(InputSchema):
    """An item of a party's disclosure."""

    model_config = ConfigDict(extra="forbid")

    part: str = Field(..., description="A Form E part: property, accounts, pensions, income...")
    description: str
    owner: str = Field(..., description="a, b or joint.")
    share_a_percent: str | None = Field(
        None, description='Joint only: party A\'s share in per cent, 0-100, e.g. "50".'
    )
    value: str = Field(..., description='Pounds, at most 2 decimal places, e.g. "1250.50".')
    gross: str | None = Field(
        None, description="Income only: the same income before tax, per year, in pounds."
    )
    valuation_date: dt.date = Field(..., description="Not in the future.")
    note: MultilineText = ""


class PartIn(InputSchema):
    """A Form E part said to be complete (or reopened)."""

    model_config = ConfigDict(extra="forbid")

    part: str
    complete: bool = True


class EvidenceOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    seen: bool


class ItemOut(Schema):
    """An item as the caller may see it; `changed_since`/`removed_since` in a shared view."""

    id: int
    part: str
    description: str
    owner: str
    share_a_percent: str
    value_pence: int
    gross_pence: int | None = Field(None, description="Income only: before tax, per year.")
    valuation_date: dt.date
    note: str
    by_mediator: bool
    evidence: list[EvidenceOut] | None = Field(
        description="The case team and the disclosing party only; null in a shared view."
    )
    evidence_seen: bool
    changed_since: bool
    removed_since: bool


class FinanceDisclosureOut(Schema):
    participant_id: int
    party: str = Field(description="a or b.")
    live: bool = Field(description="False: the other party's disclosure as it was shared.")
    shared_at: dt.datetime | None
    parts_completed: list[str]
    added_since: int
    gaps: list[str]
    totals: dict[str, int]
    items: list[ItemOut]


def _item_out(item: selectors.ItemView, live: bool) -> ItemOut:
    return ItemOut(
        id=item.id,
        part=item.part,
        description=item.description,
        owner=item.owner,
        share_a_percent=str(item.share_a_percent),
        value_pence=item.value_pence,
        gross_pence=item.gross_pence,
        valuation_date=item.valuation_date,
        note=item.note,
        by_mediator=item.by_mediator,
        evidence=[
            EvidenceOut(
                id=e.pk,
                file_name=e.file_name,
                content_type=e.content_type,
                size=e.size,
                seen=e.seen_at is not None,
            )
            for e in item.evidence
        ]
        if live
        else None,
        evidence_seen=item.evidence_seen,
        changed_since=item.changed_since,
        removed_since=item.removed_since,
    )


def _out(d: selectors.DisclosureView) -> FinanceDisclosureOut:
    return FinanceDisclosureOut(
        participant_id=d.participant.pk,
        party=d.letter,
        live=d.live,
        shared_at=d.shared_at,
        parts_completed=d.parts_completed,
        added_since=d.added_since,
        gaps=d.gaps,
        totals=d.totals,
        items=[_item_out(i, d.live) for i in d.items],
    )


def _case(request: HttpRequest, case_id: int) -> tuple[Any, Case]:
    user = request.auth  # type: ignore[attr-defined]
    return user, case_get_for(user=user, case_id=case_id)


def _participant(case: Case, participant_id: int) -> Participant:
    found = Participant.objects.filter(case=case, pk=participant_id).first()
    if found is None:
        raise NotFoundOrHidden("No such party.")
    return found


def _item_kwargs(payload: ItemIn) -> dict[str, Any]:
    try:
        pence = pounds_to_pence(payload.value)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), field_errors={"value": [str(exc)]}) from None
    data = payload.model_dump()
    data.pop("value")
    data["value_pence"] = pence
    gross = data.pop("gross", None)
    data["gross_pence"] = None
    if gross not in (None, ""):
        try:
            data["gross_pence"] = pounds_to_pence(gross)
        except MoneyError as exc:
            raise ValidationFailed(str(exc), field_errors={"gross": [str(exc)]}) from None
    return data


def _view_of(user: Any, case: Case, participant_id: int) -> FinanceDisclosureOut:
    for d in selectors.disclosures_for(user=user, case=case):
        if d.participant.pk == participant_id:
            return _out(d)
    raise NotFoundOrHidden("No such disclosure.")


@router.get(
    "/cases/{case_id}/disclosures",
    response=responses(200, list[FinanceDisclosureOut], 404),
    summary="List the disclosures of a case the caller may read",
)
def disclosure_list(request: HttpRequest, case_id: ObjectId) -> list[FinanceDisclosureOut]:
    """The case team: both, as they are. A party: their own, and the other's as shared."""
    user, case = _case(request, case_id)
    return [_out(d) for d in selectors.disclosures_for(user=user, case=case)]


@router.post(
    "/cases/{case_id}/disclosures/{participant_id}/items",
    response=responses(201, ItemOut, 403, 404, 422),
    summary="Add an item to a party's disclosure",
)
def item_add(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId, payload: ItemIn
) -> Any:
    """A party to their own disclosure; a case mediator to either party's."""
    user, case = _case(request, case_id)
    item = services.disclosure_item_add(
        actor=user,
        case=case,
        participant=_participant(case, participant_id),
        **_item_kwargs(payload),
    )
    return Status(201, _find(user, case, item))


def _find(user: Any, case: Case, item: DisclosureItem) -> ItemOut:
    for d in selectors.disclosures_for(user=user, case=case):
        if d.live:
            for i in d.items:
                if i.id == item.pk:
                    return _item_out(i, True)
    raise NotFoundOrHidden("No such item.")


@router.patch(
    "/cases/{case_id}/disclosure-items/{item_id}",
    response=responses(200, ItemOut, 403, 404, 422),
    summary="Correct an item",
)
def item_change(request: HttpRequest, case_id: ObjectId, item_id: ObjectId, payload: ItemIn) -> Any:
    user, case = _case(request, case_id)
    item = selectors.item_get_for(user=user, case=case, item_id=item_id)
    item = services.disclosure_item_change(actor=user, item=item, **_item_kwargs(payload))
    return _find(user, case, item)


@router.delete(
    "/cases/{case_id}/disclosure-items/{item_id}",
    response=responses(204, None, 403, 404, 422),
    summary="Remove an item",
)
def item_remove(request: HttpRequest, case_id: ObjectId, item_id: ObjectId) -> Any:
    user, case = _case(request, case_id)
    item = selectors.item_get_for(user=user, case=case, item_id=item_id)
    services.disclosure_item_remove(actor=user, item=item)
    return Status(204, None)


@router.post(
    "/cases/{case_id}/disclosures/{participant_id}/parts",
    response=responses(200, FinanceDisclosureOut, 403, 404, 422),
    summary="Mark a Form E part complete or reopen it",
)
def part_complete(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId, payload: PartIn
) -> FinanceDisclosureOut:
    user, case = _case(request, case_id)
    services.disclosure_part_complete(
        actor=user,
        case=case,
        participant=_participant(case, participant_id),
        part=payload.part,
        complete=payload.complete,
    )
    return _view_of(user, case, participant_id)


@router.post(
    "/cases/{case_id}/disclosures/{participant_id}/share",
    response=responses(200, FinanceDisclosureOut, 403, 404, 422),
    summary="Share a party's disclosure with the other party as it is now",
)
def share(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId
) -> FinanceDisclosureOut:
    user, case = _case(request, case_id)
    services.disclosure_share(actor=user, case=case, participant=_participant(case, participant_id))
    return _view_of(user, case, participant_id)


@router.post(
    "/cases/{case_id}/disclosure-items/{item_id}/evidence",
    response=responses(201, EvidenceOut, 403, 404, 422),
    summary="Upload evidence against an item (PDF, PNG, JPEG, DOCX or text; up to 10 MB)",
)
def evidence_upload(
    request: HttpRequest,
    case_id: ObjectId,
    item_id: ObjectId,
    file: File[UploadedFile],
) -> Any:
    user, case = _case(request, case_id)
    item = selectors.item_get_for(user=user, case=case, item_id=item_id)
    evidence = services.evidence_upload(actor=user, item=item, upload=file)
    return Status(
        201,
        EvidenceOut(
            id=evidence.pk,
            file_name=evidence.file_name,
            content_type=evidence.content_type,
            size=evidence.size,
            seen=False,
        ),
    )


@router.post(
    "/cases/{case_id}/evidence/{evidence_id}/seen",
    response=responses(200, EvidenceOut, 403, 404),
    summary="Mark evidence seen (the case's mediators)",
)
def evidence_seen(request: HttpRequest, case_id: ObjectId, evidence_id: ObjectId) -> EvidenceOut:
    user, case = _case(request, case_id)
    evidence = selectors.evidence_get_for(user=user, case=case, evidence_id=evidence_id)
    evidence = services.evidence_mark_seen(actor=user, evidence=evidence)
    return EvidenceOut(
        id=evidence.pk,
        file_name=evidence.file_name,
        content_type=evidence.content_type,
        size=evidence.size,
        seen=evidence.seen_at is not None,
    )


class ScenarioResultOut(Schema):
    capital_pence: int
    pensions_pence: int
    income_pence: int
    needs_pence: int
    share_percent: str


_SCENARIO_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "title": "Sell the house, split 60/40",
    "audience": "private",
    "shared_with_id": 31,
    "shared_at": "2026-12-01T10:15:00Z",
    "results": {
        "a": {
            "capital_pence": 15000000,
            "pensions_pence": 8000000,
            "income_pence": 3100000,
            "needs_pence": 2400000,
            "share_percent": "57.2",
        },
        "b": {
            "capital_pence": 11234567,
            "pensions_pence": 0,
            "income_pence": 2700000,
            "needs_pence": 2200000,
            "share_percent": "42.8",
        },
    },
}


class ScenarioOut(Schema):
    """A scenario the caller may see, with each party's results."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SCENARIO_EXAMPLE]})

    id: int
    title: str
    audience: str = Field(
        description="mediators (not shared yet), joint (both parties) or private (one party)."
    )
    shared_with_id: int | None = Field(
        None, description="Private only: the party it is shared with (a party sees only their own)."
    )
    shared_at: dt.datetime | None = None
    results: dict[str, ScenarioResultOut] = Field(description="By party: a and b.")


def _scenario_out(case: Case, s: Any) -> ScenarioOut:
    from accord.finance import scenarios as sc

    return ScenarioOut(
        id=s.pk,
        title=s.title,
        audience=s.audience or "mediators",
        shared_with_id=s.shared_with_id,
        shared_at=s.shared_at,
        results={
            party: ScenarioResultOut(
                capital_pence=r.capital,
                pensions_pence=r.pensions,
                income_pence=r.income,
                needs_pence=r.needs,
                share_percent=str(r.share_percent),
            )
            for party, r in sc.results(case, s).items()
        },
    )


class RatingsIn(InputSchema):
    """A party's points per shared item id, adding up to the service's total (100 or 1,000)."""

    model_config = ConfigDict(extra="forbid")

    points: dict[str, int]


class SuggestionOut(Schema):
    method: str
    shares_a_percent: dict[str, str]
    explanation: list[str]


@router.get(
    "/cases/{case_id}/scenarios",
    response=responses(200, list[ScenarioOut], 404, 422),
    summary="List the financial scenarios the caller may see",
)
def scenario_list(request: HttpRequest, case_id: ObjectId) -> list[ScenarioOut]:
    """The case team: every scenario. A party: those shared with them (joint or privately)."""
    from accord.finance import scenarios as sc

    user, case = _case(request, case_id)
    return [_scenario_out(case, s) for s in sc.scenarios_for(user=user, case=case)]


@router.get(
    "/cases/{case_id}/ratings",
    response=responses(200, dict[int, dict[str, int]], 404),
    summary="Ratings: the caller's own (a party) or both parties' (the case's mediators)",
)
def rating_list(request: HttpRequest, case_id: ObjectId) -> dict[int, dict[str, int]]:
    from accord.finance import ratings

    user, case = _case(request, case_id)
    return ratings.ratings_for(user=user, case=case)


@router.post(
    "/cases/{case_id}/ratings",
    response=responses(201, dict[str, int], 404, 422),
    summary="Rate the shared items once (a party)",
)
def rating_submit(request: HttpRequest, case_id: ObjectId, payload: RatingsIn) -> Any:
    from accord.finance import ratings

    user, case = _case(request, case_id)
    me = selectors.reader_party(user, case)
    if me is None:
        raise NotFoundOrHidden("No such party.")
    made = ratings.ratings_submit(actor=user, case=case, participant=me, points=payload.points)
    return Status(201, {r.item_key: r.points for r in made})


@router.get(
    "/cases/{case_id}/suggestions",
    response=responses(200, list[SuggestionOut], 404, 422),
    summary="Fair-division suggestions (the case's mediators; empty until both parties rated)",
)
def suggestion_list(request: HttpRequest, case_id: ObjectId) -> list[SuggestionOut]:
    from accord.cases import policy as case_policy
    from accord.finance import ratings

    user, case = _case(request, case_id)
    if not case_policy.can(user, "view_workspace", case):
        raise NotFoundOrHidden("No such case.")
    found = ratings.suggestions(user=user, case=case)
    return [
        SuggestionOut(
            method=method,
            shares_a_percent={
                k: str(ratings.percent(v)) for k, v in found[method]["shares"].items()
            },
            explanation=list(found[method]["explain"]),
        )
        for method in ("aw", "mnw")
        if method in found
    ]


# The case team's actions of the finance pages --------------------------------------------------
#
# Each calls the service the page's view calls. The pages are the case team's (`staff_required`
# and `view_workspace`, where the part applies): anyone else gets the same 404 here, and the
# services keep their own checks (the case's mediators only: 403 for other staff of the case).


def _team_case(request: HttpRequest, case_id: int) -> tuple[Any, Case]:
    """The case for its team, as the finance pages; 404 for a party or anyone else."""
    from accord.cases import policy as case_policy
    from accord.cases.progress import part_applies

    user, case = _case(request, case_id)
    if not case_policy.can(user, "view_workspace", case) or not part_applies(case, "disclosure"):
        raise NotFoundOrHidden("No such case.")
    return user, case


@contextmanager
def _fields_as_sent(**names: str) -> Iterator[None]:
    """Name the request's own fields in a service's refusal (``party`` → ``participant_id``)."""
    try:
        yield
    except ValidationFailed as exc:
        exc.field_errors = {names.get(k, k): v for k, v in exc.field_errors.items()}
        raise


def _download_documented(content_type: str, what: str, disposition: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": what,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
                "headers": {
                    "Content-Disposition": {
                        "schema": {"type": "string"},
                        "example": disposition,
                    }
                },
            }
        }
    }


class FinanceDeadlineOut(Schema):
    """A party's disclosure deadline (the dated rule finance.disclosure)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 88,
                    "participant_id": 31,
                    "title": "Financial disclosure from Anna Green",
                    "due_at": "2027-01-05T17:00:00Z",
                }
            ]
        }
    )

    id: int
    participant_id: int | None
    title: str
    due_at: dt.datetime


@router.post(
    "/cases/{case_id}/disclosure-deadline",
    response=responses(201, list[FinanceDeadlineOut], 404, 422),
    summary="Set the disclosure deadline for each party (the case team)",
)
def deadline_set(request: HttpRequest, case_id: ObjectId) -> Any:
    """One deadline per party, shown to that party in their portal; 422 if one is already open."""
    user, case = _team_case(request, case_id)
    made = services.disclosure_deadline_set(actor=user, case=case)
    return Status(
        201,
        [
            FinanceDeadlineOut(
                id=d.pk, participant_id=d.concerns_participant_id, title=d.title, due_at=d.due_at
            )
            for d in made
        ],
    )


class FinanceDocumentOut(Schema):
    """A case document version produced by a finance action (under Documents too)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "document_code": "open-financial-statement",
                    "title": "Open Financial Statement",
                    "version_id": 57,
                    "number": 1,
                    "file_name": "open-financial-statement-v1.pdf",
                    "content_type": "application/pdf",
                    "size": 48211,
                    "download_url": "/api/v1/documents/versions/57/content",
                }
            ]
        }
    )

    document_code: str
    title: str
    version_id: int
    number: int
    file_name: str
    content_type: str
    size: int
    download_url: str = Field(description="Download it here (GET), as from the documents list.")


def _documents(versions: list[Any]) -> list[FinanceDocumentOut]:
    return [
        FinanceDocumentOut(
            document_code=v.document.code,
            title=v.document.title,
            version_id=v.pk,
            number=v.number,
            file_name=v.file_name,
            content_type=v.content_type,
            size=v.size,
            download_url=f"/api/v1/documents/versions/{v.pk}/content",
        )
        for v in versions
    ]


@router.post(
    "/cases/{case_id}/financial-statement",
    response=responses(201, list[FinanceDocumentOut], 404, 422),
    summary="Issue the Open Financial Statement (PDF and Word), shared with both parties",
)
def statement_issue(request: HttpRequest, case_id: ObjectId) -> Any:
    """The case's mediators, once both parties shared their disclosure (422 before; 403 for other
    staff). Built from what each party shared, never from later changes. Each issue is a new
    version; the statement is then listed and downloaded through the documents operations
    (`GET /cases/{case_id}/documents`), by the case team and by both parties."""
    from accord.finance.statement import statement_issue as issue

    user, case = _team_case(request, case_id)
    return Status(201, _documents(issue(actor=user, case=case)))


@router.get(
    "/cases/{case_id}/asset-schedule",
    response=responses(200, None, 404, 422),
    summary="Download the asset schedule (XLSX with live totals) from the shared disclosures",
    openapi_extra=_download_documented(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "The asset schedule as the finance page downloads it; 422 until both parties shared.",
        'attachment; filename="asset-schedule-42.xlsx"',
    ),
)
def schedule_xlsx(request: HttpRequest, case_id: ObjectId) -> HttpResponse:
    """The case team, as the page's link."""
    from accord.finance.statement import schedule_xlsx as build

    _, case = _team_case(request, case_id)
    response = HttpResponse(
        build(case),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="asset-schedule-{case.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/cases/{case_id}/evidence/{evidence_id}/content",
    response=responses(200, None, 404, 422),
    summary="Download a piece of evidence (the case team or the party who disclosed the item)",
    openapi_extra=_download_documented(
        "application/octet-stream",
        "The file as uploaded, with its own content type.",
        'attachment; filename="bank-statement-march.pdf"',
    ),
)
def evidence_download(request: HttpRequest, case_id: ObjectId, evidence_id: ObjectId) -> Any:
    """The other party never gets it, shared or not (404), as on the page."""
    from django.http import FileResponse

    user, case = _case(request, case_id)
    evidence = selectors.evidence_get_for(user=user, case=case, evidence_id=evidence_id)
    try:
        handle = evidence.content.open("rb")
    except FileNotFoundError:
        raise NotFoundOrHidden("The file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.file_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ScenarioIn(InputSchema):
    """A scenario on the shared disclosures (as the scenario form)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Sell the house, split 60/40",
                    "allocations": {"101": "60", "102": "60"},
                    "sold": ["101"],
                    "lump_sum": "-1000.00",
                    "pension_share_a_percent": "50",
                    "maintenance": "",
                }
            ]
        },
    )

    title: str = Field(..., description="A short name, up to 120 characters.")
    allocations: dict[str, str] = Field(
        default_factory=dict,
        description="Shared asset or debt id to party A's share in per cent (0-100, at most 2 "
        "decimal places); an item left out stays as owned.",
    )
    sold: list[str] = Field(
        default_factory=list, description="Ids of items sold and the proceeds split by the shares."
    )
    lump_sum: str = Field(
        "",
        description="From party A to party B, in pounds (negative if B pays A); empty for none.",
    )
    pension_share_a_percent: str | None = Field(
        None, description="Party A's share of all pensions after sharing; null keeps them as owned."
    )
    maintenance: str = Field(
        "", description="From party A to party B each month, in pounds (negative if B pays A)."
    )


def _signed_pence(text: str, field: str) -> int:
    if not text.strip():
        return 0
    try:
        return pounds_to_pence(text.strip(), allow_negative=True)
    except MoneyError as exc:
        raise ValidationFailed(str(exc), field_errors={field: [str(exc)]}) from None


@router.post(
    "/cases/{case_id}/scenarios",
    response=responses(201, ScenarioOut, 403, 404, 422),
    summary="Build a scenario on the shared disclosures (the case's mediators)",
)
def scenario_add(request: HttpRequest, case_id: ObjectId, payload: ScenarioIn) -> Any:
    """Not shared with anyone until it is shared (see the share operation)."""
    from accord.finance import scenarios as sc

    user, case = _team_case(request, case_id)
    kwargs = {
        "lump_sum_pence": _signed_pence(payload.lump_sum, "lump_sum"),
        "maintenance_pence": _signed_pence(payload.maintenance, "maintenance"),
    }
    names = {f"allocation_{k}": "allocations" for k in payload.allocations}
    with _fields_as_sent(**names):
        scenario = sc.scenario_create(
            actor=user,
            case=case,
            title=payload.title,
            allocations=dict(payload.allocations),
            sold=list(payload.sold),
            pension_share_a_percent=payload.pension_share_a_percent,
            **kwargs,
        )
    return Status(201, _scenario_out(case, scenario))


def _team_scenario(request: HttpRequest, case_id: int, scenario_id: int) -> tuple[Any, Any]:
    from accord.finance.models import Scenario

    user, case = _team_case(request, case_id)
    found = Scenario.objects.filter(case=case, pk=scenario_id).first()
    if found is None:
        raise NotFoundOrHidden("No such scenario.")
    return user, found


class ScenarioShareIn(InputSchema):
    """Who sees the scenario: both parties (joint), or one party privately."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"audience": "joint"}, {"audience": "private", "participant_id": 31}]
        },
    )

    audience: str = Field(..., description="joint (both parties) or private (one party).")
    participant_id: int | None = Field(
        None, description="Private only: the party; the other party never sees it."
    )


@router.post(
    "/cases/{case_id}/scenarios/{scenario_id}/share",
    response=responses(200, ScenarioOut, 403, 404, 422),
    summary="Share a scenario with both parties, or one party privately (the case's mediators)",
)
def scenario_share(
    request: HttpRequest, case_id: ObjectId, scenario_id: ObjectId, payload: ScenarioShareIn
) -> ScenarioOut:
    from accord.finance import scenarios as sc

    user, scenario = _team_scenario(request, case_id, scenario_id)
    participant = next(
        (p for p in sc.parties_of(scenario.case) if p.pk == payload.participant_id), None
    )
    with _fields_as_sent(participant="participant_id"):
        scenario = sc.scenario_share(
            actor=user, scenario=scenario, audience=payload.audience, participant=participant
        )
    return _scenario_out(scenario.case, scenario)


class ScenarioMouOut(Schema):
    """The MoU draft the scenario went into, and the section it became."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "draft_id": 19,
                    "section_title": "Finances: Sell the house, split 60/40",
                    "wording": "Family home (£400,000.00) is sold and the proceeds split: "
                    "Anna Green 60%, Ben Black 40%.",
                }
            ]
        }
    )

    draft_id: int
    section_title: str
    wording: str


@router.post(
    "/cases/{case_id}/scenarios/{scenario_id}/mou",
    response=responses(200, ScenarioMouOut, 403, 404, 422),
    summary="Carry a scenario, with its figures, into the MoU draft (the case's mediators)",
)
def scenario_to_mou(
    request: HttpRequest, case_id: ObjectId, scenario_id: ObjectId
) -> ScenarioMouOut:
    """Adds a financial section to the case's MoU draft (a draft is started if there is none)."""
    from accord.finance import scenarios as sc

    user, scenario = _team_scenario(request, case_id, scenario_id)
    draft = sc.scenario_to_mou(actor=user, scenario=scenario)
    section = draft.sections.get("items", [])[-1]
    return ScenarioMouOut(
        draft_id=draft.pk, section_title=section["title"], wording=section["wording"]
    )


class SuggestionPickIn(InputSchema):
    """Which fair-division suggestion becomes a scenario."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"method": "aw"}]})

    method: Literal["aw", "mnw"] = Field(
        ..., description="aw (Adjusted Winner) or mnw (Maximum Nash Welfare)."
    )


@router.post(
    "/cases/{case_id}/suggestions/scenario",
    response=responses(201, ScenarioOut, 403, 404, 422),
    summary="Turn a fair-division suggestion into a scenario (the case's mediators)",
)
def suggestion_to_scenario(
    request: HttpRequest, case_id: ObjectId, payload: SuggestionPickIn
) -> Any:
    """The exact shares the method found; 422 until both parties rated. Not shared."""
    from accord.finance import ratings

    user, case = _team_case(request, case_id)
    scenario = ratings.suggestion_to_scenario(actor=user, case=case, method=payload.method)
    return Status(201, _scenario_out(case, scenario))


@router.post(
    "/cases/{case_id}/consent-pack",
    response=responses(201, list[FinanceDocumentOut], 403, 404, 422),
    summary="Prepare the consent-order pack (D81 information, covering letter, order outline)",
)
def consent_pack_prepare(request: HttpRequest, case_id: ObjectId) -> Any:
    """The case's mediators, once the MoU and the Open Financial Statement are issued. The pack
    is not shared with the parties: it goes to their solicitors (record when below)."""
    from accord.finance import consent

    user, case = _team_case(request, case_id)
    return Status(201, _documents(consent.consent_pack_prepare(actor=user, case=case)))


class PackDeliveryIn(InputSchema):
    """When the consent-order pack went to a party's solicitor."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"participant_id": 31, "solicitor": "Hussain & Co", "sent_on": "2026-12-03"}
            ]
        },
    )

    participant_id: int = Field(..., description="The party whose solicitor it went to.")
    solicitor: str = Field(..., description="The solicitor or firm, up to 200 characters.")
    sent_on: dt.date = Field(..., description="Not in the future.")


class PackDeliveryOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 4,
                    "participant_id": 31,
                    "solicitor": "Hussain & Co",
                    "sent_on": "2026-12-03",
                    "recorded_at": "2026-12-03T16:20:00Z",
                }
            ]
        }
    )

    id: int
    participant_id: int
    solicitor: str
    sent_on: dt.date
    recorded_at: dt.datetime


def _delivery_out(row: Any) -> PackDeliveryOut:
    return PackDeliveryOut(
        id=row.pk,
        participant_id=row.party_id,
        solicitor=row.solicitor,
        sent_on=row.sent_on,
        recorded_at=row.recorded_at,
    )


@router.get(
    "/cases/{case_id}/consent-pack/deliveries",
    response=responses(200, list[PackDeliveryOut], 404),
    summary="When the consent-order pack went to each party's solicitor (the case team)",
)
def consent_pack_deliveries(request: HttpRequest, case_id: ObjectId) -> list[PackDeliveryOut]:
    from accord.finance.models import ConsentPackDelivery

    _, case = _team_case(request, case_id)
    rows = ConsentPackDelivery.objects.filter(case=case).order_by("sent_on", "id")
    return [_delivery_out(r) for r in rows]


@router.post(
    "/cases/{case_id}/consent-pack/deliveries",
    response=responses(201, PackDeliveryOut, 403, 404, 422),
    summary="Record that the consent-order pack went to a party's solicitor",
)
def consent_pack_sent(request: HttpRequest, case_id: ObjectId, payload: PackDeliveryIn) -> Any:
    """The case's mediators, once the pack is prepared."""
    from accord.finance import consent
    from accord.finance import scenarios as sc

    user, case = _team_case(request, case_id)
    party = next((p for p in sc.parties_of(case) if p.pk == payload.participant_id), None)
    with _fields_as_sent(party="participant_id"):
        row = consent.consent_pack_record_sent(
            actor=user,
            case=case,
            party=party,
            solicitor=payload.solicitor,
            sent_on=payload.sent_on,
        )
    return Status(201, _delivery_out(row))
