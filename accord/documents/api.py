"""The documents part of the HTTP API (mounted by ``accord.api.api``).

Staff of a case see every document and version; a party sees only the versions shared with
them. A version's file is downloaded here with the same check as the download page (and a party's
first download is recorded as opened, as on the page).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from accord.api.schemas import responses
from accord.cases import policy as case_policy
from accord.cases import selectors as case_selectors
from accord.documents import selectors, services
from accord.documents.models import DocumentVersion

router = Router(tags=["documents"])

ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class VersionOut(Schema):
    """One produced version of a document (its file is at `download_url`)."""

    id: int
    number: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    produced_at: dt.datetime
    download_url: str


class DocumentOut(Schema):
    """A document of a case with the versions the caller may see, newest first."""

    id: int | None = Field(None, description="Staff only; null for a party.")
    code: str
    title: str
    versions: list[VersionOut]


def _version(version: DocumentVersion) -> VersionOut:
    return VersionOut(
        id=version.pk,
        number=version.number,
        file_name=version.file_name,
        content_type=version.content_type,
        size=version.size,
        sha256=version.sha256,
        produced_at=version.produced_at,
        download_url=f"/api/v1/documents/versions/{version.pk}/content",
    )


@router.get(
    "/cases/{case_id}/documents",
    response=responses(200, list[DocumentOut], 404, 422),
    summary="List a case's documents",
)
def document_list(request: HttpRequest, case_id: ObjectId) -> list[DocumentOut]:
    """Staff: every document and version. A party: only the versions shared with them."""
    user = request.auth  # type: ignore[attr-defined]
    case = case_selectors.case_get_for(user=user, case_id=case_id)
    if case_policy.can(user, "view_workspace", case):
        return [
            DocumentOut(
                id=d.pk,
                code=d.code,
                title=d.title,
                versions=[_version(v) for v in d.versions.all()],
            )
            for d in selectors.case_documents(user=user, case=case)
        ]
    shared: dict[int, DocumentOut] = {}
    for share in selectors.portal_documents(user=user, case=case):
        document = share.version.document
        entry = shared.setdefault(
            document.pk, DocumentOut(id=None, code=document.code, title=document.title, versions=[])
        )
        if all(v.id != share.version_id for v in entry.versions):
            entry.versions.append(_version(share.version))
    return list(shared.values())


@router.get(
    "/documents/versions/{version_id}/content",
    response=responses(200, None, 404, 422),
    summary="Download a document version's file",
)
def document_content(request: HttpRequest, version_id: ObjectId) -> Any:
    """Staff on the case, or a party it was shared with (recorded as opened); others 404."""
    user = request.auth  # type: ignore[attr-defined]
    version, as_participant = selectors.version_get_for_download(user=user, version_id=version_id)
    if as_participant:
        services.document_record_opened(user=user, version=version)
    return services.document_file_response(version)
