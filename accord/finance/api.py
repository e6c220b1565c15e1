"""Financial disclosure in the HTTP API (mounted by ``accord.api.api``), under the same policy
as the pages: the case team reads both disclosures as they are; a party reads their own, and the
other party's only as shared (with changes since marked). Amounts go in as pounds in a string
("1250.50", at most 2 decimal places) and come out as integer pence.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
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


class DisclosureOut(Schema):
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


def _out(d: selectors.DisclosureView) -> DisclosureOut:
    return DisclosureOut(
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


def _view_of(user: Any, case: Case, participant_id: int) -> DisclosureOut:
    for d in selectors.disclosures_for(user=user, case=case):
        if d.participant.pk == participant_id:
            return _out(d)
    raise NotFoundOrHidden("No such disclosure.")


@router.get(
    "/cases/{case_id}/disclosures",
    response=responses(200, list[DisclosureOut], 404),
    summary="List the disclosures of a case the caller may read",
)
def disclosure_list(request: HttpRequest, case_id: ObjectId) -> list[DisclosureOut]:
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
    response=responses(200, DisclosureOut, 403, 404, 422),
    summary="Mark a Form E part complete or reopen it",
)
def part_complete(
    request: HttpRequest, case_id: ObjectId, participant_id: ObjectId, payload: PartIn
) -> DisclosureOut:
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
    response=responses(200, DisclosureOut, 403, 404, 422),
    summary="Share a party's disclosure with the other party as it is now",
)
def share(request: HttpRequest, case_id: ObjectId, participant_id: ObjectId) -> DisclosureOut:
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


class ScenarioOut(Schema):
    """A scenario the caller may see, with each party's results."""

    id: int
    title: str
    audience: str
    results: dict[str, ScenarioResultOut] = Field(description="By party: a and b.")


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
    shown = sc.scenarios_for(user=user, case=case)
    out = []
    for s in shown:
        results = sc.results(case, s)
        out.append(
            ScenarioOut(
                id=s.pk,
                title=s.title,
                audience=s.audience or "mediators",
                results={
                    party: ScenarioResultOut(
                        capital_pence=r.capital,
                        pensions_pence=r.pensions,
                        income_pence=r.income,
                        needs_pence=r.needs,
                        share_percent=str(r.share_percent),
                    )
                    for party, r in results.items()
                },
            )
        )
    return out


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
