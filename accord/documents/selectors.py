"""Every read of documents for a user, with the case policy applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from accord.cases import policy
from accord.cases.models import Case
from accord.core.errors import NotFoundOrHidden
from accord.documents.models import Document, DocumentShare, DocumentVersion


def case_documents(*, user: Any, case: Case) -> QuerySet[Document]:
    """A case's documents with their versions, newest first, for staff who may see the workspace."""
    if not policy.can(user, "view_workspace", case):
        return Document.objects.none()
    versions = DocumentVersion.objects.select_related("produced_by").order_by("-number")
    return (
        Document.objects.filter(case=case)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("-updated_at")
    )


def portal_documents(*, user: Any, case: Case) -> QuerySet[DocumentShare]:
    """The versions of a case's documents shared with this participant, newest first."""
    if not getattr(user, "is_authenticated", False):
        return DocumentShare.objects.none()
    return (
        DocumentShare.objects.filter(
            version__document__case=case,
            participant__user_id=user.pk,
            participant__portal_access=True,
        )
        .select_related("version", "version__document")
        .order_by("-shared_at")
    )


def version_get_for_download(*, user: Any, version_id: int) -> tuple[DocumentVersion, bool]:
    """A version the user may download, and whether they reach it as a shared participant."""
    version = (
        DocumentVersion.objects.select_related("document", "document__case")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFoundOrHidden("No such document.")
    if policy.can(user, "view_workspace", version.document.case):
        return version, False
    if getattr(user, "is_authenticated", False) and (
        DocumentShare.objects.filter(
            version=version, participant__user_id=user.pk, participant__portal_access=True
        ).exists()
    ):
        return version, True
    raise NotFoundOrHidden("No such document.")
