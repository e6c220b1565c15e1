"""Turning templates into file bytes: HTML to PDF with WeasyPrint, DOCX with docxtpl.

Nothing here touches the database or checks permissions; the services do. The one rule kept
here is what a document may load while it is rendered: `StaticOnlyFetcher` lets WeasyPrint
read Accord's own static files and small inline images, and refuses everything else, so that
a template (or a value typed into one) can never make the server fetch a URL or read a file.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from io import BytesIO
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: Relative and root-relative URLs in a document resolve against this origin, which is never
#: contacted: the fetcher maps it onto the static files and refuses anything else.
DOCUMENT_BASE_URL = "https://accord.invalid/"

#: Inline (data:) images are allowed up to this many bytes, and only these types.
INLINE_IMAGE_LIMIT = 256 * 1024
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


class RefusedResource(ValueError):
    """A document asked for a resource outside Accord's static files."""


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that can reach only Accord's static files.

    Every refused URL is kept in `refused`, so tests (and callers who care) can see what a
    template asked for. WeasyPrint catches the `RefusedResource` and leaves the resource out.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Answer a static file or a small inline image; refuse any other URL."""
        try:
            if url.startswith("data:"):
                response = self._inline_image(url)
            else:
                response = self._static_file(url)
        except RefusedResource:
            self.refused.append(url)
            raise
        self.fetched.append(url)
        return response

    def _inline_image(self, url: str) -> URLFetcherResponse:
        header, sep, payload = url[len("data:") :].partition(",")
        parts = header.split(";")
        mime = parts[0].strip().lower()
        if not sep or mime not in INLINE_IMAGE_TYPES or "base64" not in parts[1:]:
            raise RefusedResource("Only small base64 PNG, JPEG, GIF or WebP images may be inline.")
        if len(payload) > INLINE_IMAGE_LIMIT * 4 // 3 + 4:
            raise RefusedResource("Inline image is too large.")
        try:
            body = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise RefusedResource("Inline image is not valid base64.") from exc
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _static_file(self, url: str) -> URLFetcherResponse:
        prefix = urljoin(DOCUMENT_BASE_URL, settings.STATIC_URL or "/static/")
        if not url.startswith(prefix):
            raise RefusedResource(f"Documents may load only Accord's static files, not {url!r}.")
        parts = urlsplit(url)
        relative = unquote(parts.path[len(urlsplit(prefix).path) :])
        if not relative or relative.startswith("/") or ".." in relative.split("/"):
            raise RefusedResource(f"Not a static file: {url!r}.")
        path = _find_static(relative)
        if path is None:
            raise RefusedResource(f"No such static file: {relative!r}.")
        with open(path, "rb") as handle:
            body = handle.read()
        mime = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def _find_static(relative: str) -> str | None:
    """The file system path of a static file, from the app folders or the collected root."""
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return str(found)
    try:
        if staticfiles_storage.exists(relative):
            return str(staticfiles_storage.path(relative))
    except (SuspiciousFileOperation, NotImplementedError):
        # A path outside the static root, or a remote storage with no local files: either
        # way there is nothing here the renderer may read, so the fetcher refuses the URL.
        return None
    return None


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Render an HTML document to PDF bytes, loading only static files."""
    document = HTML(
        string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()
    )
    return bytes(document.write_pdf())


def docx_render(template_bytes: bytes, context: dict[str, Any]) -> bytes:
    """Fill a .docx template (Jinja tags, docxtpl) with the context and return the new file."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    template = DocxTemplate(BytesIO(template_bytes))
    # Sandboxed, so a template uploaded by a service cannot reach Python internals.
    template.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    out = BytesIO()
    template.save(out)
    return out.getvalue()
