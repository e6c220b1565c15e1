"""Every write of the document pipeline: producing versions, sharing them, recording opens.

Callers build the context. The pipeline adds `organisation` (for the letterhead), `case` and
`produced_at`; it does not filter what the caller passes, so a caller must only put into a
context what every reader of the document may see (DOMAIN.md section 3).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.http import FileResponse
from django.template import engines
from django.template.exceptions import TemplateSyntaxError
from django.utils import timezone
from django.utils.text import slugify

from accord.audit.services import audit_record
from accord.cases import policy
from accord.cases.models import Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.documents.builtin import BuiltinTemplate, builtin
from accord.documents.models import (
    Document,
    DocumentShare,
    DocumentTemplate,
    DocumentVersion,
    TemplateKind,
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Automatic:
    """Accord itself producing a document as the consequence of someone else's action.

    Used where the person who acted may not produce documents (a party signing online makes
    the signed PDF be produced again). Only code can pass it; no request can. Audit events name
    it "Accord (automatic)" and versions have no `produced_by`.
    """

    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return "Accord (automatic)"


#: Pass as `actor` to produce or share a document without a person's permission check.
AUTOMATIC = _Automatic()


def _person(actor: Any) -> Any:
    return None if actor is AUTOMATIC else actor


def _require(actor: Any, action: str, case: Case) -> None:
    """404 for people who may not see the case at all; 403 for staff who may only look."""
    if actor is AUTOMATIC or policy.can(actor, action, case):
        return
    if policy.can(actor, "view_workspace", case):
        raise NotPermitted("You may not produce or share documents on this case.")
    raise NotFoundOrHidden("No such case.")


def template_for(
    *, organisation_id: int, code: str, kind: str
) -> DocumentTemplate | BuiltinTemplate:
    """The newest active template with this code: the service's own, else a shared row, else the
    one shipped with Accord's code (documents/builtin.py)."""
    candidates = DocumentTemplate.objects.filter(code=code, kind=kind, active=True)
    for scope in (Q(organisation_id=organisation_id), Q(organisation__isnull=True)):
        found = candidates.filter(scope).order_by("-version").first()
        if found is not None:
            return found
    shipped = builtin(code, kind)
    if shipped is not None:
        return shipped
    raise ValidationFailed(
        f"There is no active {kind.upper()} template called {code!r}.",
        field_errors={"template_code": ["Choose a template that exists and is active."]},
    )


def _full_context(case: Case, context: dict[str, Any]) -> dict[str, Any]:
    return {
        **context,
        "organisation": case.organisation,
        "case": case,
        "produced_at": timezone.now(),
    }


def _store_version(
    *,
    actor: Any,
    case: Case,
    template: DocumentTemplate | BuiltinTemplate,
    title: str,
    content: bytes,
    extension: str,
    content_type: str,
    document_code: str | None,
) -> DocumentVersion:
    title = title.strip()
    if not title:
        raise ValidationFailed("Give the document a title.", field_errors={"title": ["Required."]})
    code = document_code or template.code
    document, created = Document.objects.select_for_update().get_or_create(
        case=case,
        code=code,
        defaults={
            "organisation_id": case.organisation_id,
            "title": title[:200],
            "created_by": _person(actor),
        },
    )
    if not created and document.title != title[:200]:
        document.title = title[:200]
        document.save(update_fields=["title", "updated_at"])
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    sha256 = hashlib.sha256(content).hexdigest()
    file_name = f"{slugify(title)[:80] or code}-v{number}.{extension}"
    stored = default_storage.save(
        f"documents/{case.organisation_id}/{case.pk}/{document.pk}/v{number}-{sha256[:12]}"
        f".{extension}",
        ContentFile(content),
    )
    try:
        version = DocumentVersion(
            document=document,
            number=number,
            template_code=template.code,
            template_version=template.version,
            produced_by=_person(actor),
            produced_at=timezone.now(),
            content=stored,
            file_name=file_name,
            content_type=content_type,
            size=len(content),
            sha256=sha256,
        )
        version.save(force_insert=True)
        audit_record(
            organisation_id=case.organisation_id,
            actor=_person(actor),
            actor_label=str(AUTOMATIC) if actor is AUTOMATIC else "",
            action="document.produced",
            target=version,
            case_id=case.pk,
            details={
                "document": document.pk,
                "code": code,
                "version": number,
                "template": f"{template.code} v{template.version}",
                "sha256": sha256,
            },
        )
    except Exception:
        # The row never existed, so nothing may point at the file: remove it.
        default_storage.delete(stored)
        raise
    return version


@dataclass(frozen=True)
class RenderedDocument:
    """A document rendered but not yet stored (see `document_prepare_pdf`)."""

    template: DocumentTemplate | BuiltinTemplate
    content: bytes
    extension: str
    content_type: str


def document_prepare_pdf(
    *, actor: Any, case: Case, template_code: str, context: dict[str, Any]
) -> RenderedDocument:
    """Render an HTML template to PDF and write nothing: the slow half of producing a document.

    Call it before, not inside, the write transaction that stores the result with
    `document_store`: on SQLite a transaction holds the database's single write lock for as
    long as it lasts, so a WeasyPrint render inside one makes every other writer wait for it
    (a 40-page document takes over a second). The caller re-checks, inside its transaction,
    that what it rendered is still what it would render now (see outcomes.outcome_issue).
    """
    _require(actor, "change", case)
    template = template_for(
        organisation_id=case.organisation_id, code=template_code, kind=TemplateKind.HTML
    )
    try:
        html = engines["django"].from_string(template.body).render(_full_context(case, context))
    except TemplateSyntaxError as exc:
        raise ValidationFailed(f"The template {template} cannot be used: {exc}") from exc
    from accord.documents import rendering  # WeasyPrint is heavy: load it on first use

    return RenderedDocument(template, rendering.html_to_pdf(html), "pdf", PDF)


def document_prepare_docx(
    *, actor: Any, case: Case, template_code: str, context: dict[str, Any]
) -> RenderedDocument:
    """Fill a DOCX template and write nothing (the DOCX half of `document_prepare_pdf`)."""
    _require(actor, "change", case)
    template = template_for(
        organisation_id=case.organisation_id, code=template_code, kind=TemplateKind.DOCX
    )
    if isinstance(template, BuiltinTemplate):
        template_bytes = template.docx_bytes()
    else:
        if not template.file:
            raise ValidationFailed(f"The template {template} has no .docx file.")
        with template.file.open("rb") as handle:
            template_bytes = handle.read()
    from accord.documents import rendering

    try:
        content = rendering.docx_render(template_bytes, _full_context(case, context))
    except Exception as exc:  # docxtpl raises Jinja and zip errors for a broken template
        raise ValidationFailed(f"The template {template} cannot be used: {exc}") from exc
    return RenderedDocument(template, content, "docx", DOCX)


@transaction.atomic
def document_store(
    *,
    actor: Any,
    case: Case,
    rendered: RenderedDocument,
    title: str,
    document_code: str | None = None,
) -> DocumentVersion:
    """Store a rendered document as the next version of the case's document of that code."""
    _require(actor, "change", case)
    return _store_version(
        actor=actor,
        case=case,
        template=rendered.template,
        title=title,
        content=rendered.content,
        extension=rendered.extension,
        content_type=rendered.content_type,
        document_code=document_code,
    )


@transaction.atomic
def document_render_pdf(
    *,
    actor: Any,
    case: Case,
    template_code: str,
    context: dict[str, Any],
    title: str,
    document_code: str | None = None,
) -> DocumentVersion:
    """Render an HTML template to PDF as the next version of the case's document of that code.

    Renders inside the caller's transaction: fine for short documents and for callers that
    hold no write lock yet; a long document should use `document_prepare_pdf` first and then
    `document_store` in a short transaction.
    """
    rendered = document_prepare_pdf(
        actor=actor, case=case, template_code=template_code, context=context
    )
    return document_store(
        actor=actor, case=case, rendered=rendered, title=title, document_code=document_code
    )


@transaction.atomic
def document_render_docx(
    *,
    actor: Any,
    case: Case,
    template_code: str,
    context: dict[str, Any],
    title: str,
    document_code: str | None = None,
) -> DocumentVersion:
    """Fill a DOCX template as the next version of the case's document of that code."""
    rendered = document_prepare_docx(
        actor=actor, case=case, template_code=template_code, context=context
    )
    return document_store(
        actor=actor, case=case, rendered=rendered, title=title, document_code=document_code
    )


@transaction.atomic
def document_share(
    *, actor: Any, version: DocumentVersion, participants: Iterable[Participant]
) -> list[DocumentShare]:
    """Share a version with participants of its case; sharing twice changes nothing."""
    case = version.document.case
    _require(actor, "change", case)
    people = list(participants)
    strangers = [p for p in people if p.case_id != case.pk]
    if strangers:
        raise ValidationFailed(
            "Documents can only be shared with participants of their own case.",
            field_errors={"participants": ["Choose participants of this case."]},
        )
    shares: list[DocumentShare] = []
    now = timezone.now()
    for participant in people:
        share, created = DocumentShare.objects.get_or_create(
            version=version,
            participant=participant,
            defaults={"shared_by": _person(actor), "shared_at": now},
        )
        shares.append(share)
        if created:
            audit_record(
                organisation_id=case.organisation_id,
                actor=_person(actor),
                actor_label=str(AUTOMATIC) if actor is AUTOMATIC else "",
                action="document.shared",
                target=share,
                case_id=case.pk,
                details={"version": version.pk, "participant": participant.pk},
            )
    return shares


@transaction.atomic
def document_record_opened(*, user: Any, version: DocumentVersion) -> DocumentShare:
    """Record a participant's first opening of a version shared with them."""
    if not getattr(user, "is_authenticated", False):
        raise NotFoundOrHidden("No such document.")
    share = (
        DocumentShare.objects.select_for_update()
        .filter(version=version, participant__user_id=user.pk, participant__portal_access=True)
        .first()
    )
    if share is None:
        raise NotFoundOrHidden("No such document.")
    if share.first_opened_at is None:
        share.first_opened_at = timezone.now()
        share.save(update_fields=["first_opened_at"])
        audit_record(
            organisation_id=version.document.organisation_id,
            actor=user,
            action="document.opened",
            target=share,
            case_id=version.document.case_id,
            details={"version": version.pk},
        )
    return share


# An uploaded file is stored as a version with no template: this stands in for one.
_UPLOAD = BuiltinTemplate(
    code="upload", name="Uploaded file", kind="upload", version=0, template_name=""
)


@transaction.atomic
def document_store_upload(
    *,
    actor: Any,
    case: Case,
    title: str,
    content: bytes,
    file_name: str,
    content_type: str,
    document_code: str,
) -> DocumentVersion:
    """Store an uploaded file (already checked by the caller) as the next version of a document.

    The caller checks the file's type and size; this only keeps it, hashed and immutable, in the
    same storage and under the same rules (`change` on the case) as a produced document.
    """
    _require(actor, "change", case)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "bin"
    if not extension.isalnum() or len(extension) > 8:
        extension = "bin"
    return _store_version(
        actor=actor,
        case=case,
        template=_UPLOAD,
        title=title,
        content=content,
        extension=extension,
        content_type=content_type,
        document_code=document_code,
    )


def document_file_response(version: DocumentVersion) -> FileResponse:
    """A version's file as a private download (the page and the API both answer with this)."""
    try:
        handle = version.content.open("rb")
    except FileNotFoundError:
        raise NotFoundOrHidden("The document's file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.file_name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
