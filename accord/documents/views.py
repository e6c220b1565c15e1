"""Downloading a document version: the only way its bytes leave Accord."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from accord.core.errors import NotFoundOrHidden
from accord.documents import selectors, services


@login_required
@require_GET
def download(request: HttpRequest, version_id: int) -> FileResponse:
    """Staff on the case, or a participant it was shared with; everyone else gets 404."""
    try:
        version, as_participant = selectors.version_get_for_download(
            user=request.user, version_id=version_id
        )
        if as_participant:
            services.document_record_opened(user=request.user, version=version)
    except NotFoundOrHidden as exc:
        raise Http404(exc.message) from None
    try:
        return services.document_file_response(version)
    except NotFoundOrHidden as exc:
        raise Http404(exc.message) from None
