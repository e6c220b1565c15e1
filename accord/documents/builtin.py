"""Built-in templates that ship with Accord's code, registered by the apps that use them.

A service overrides one by adding a `DocumentTemplate` row with the same code (its own newest
active version wins); until then the built-in template is used. A built-in template's source is a
file under an app's `templates/` directory, so it is reviewed and versioned with the code that
fills it. Bump `version` whenever the file's meaning changes: each produced document records the
code and version it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from django.template.loader import get_template


@dataclass(frozen=True)
class BuiltinTemplate:
    """A template shipped with Accord, in the same shape the pipeline reads from the database."""

    code: str
    name: str
    kind: str
    version: int
    template_name: str
    organisation_id: None = None

    @property
    def body(self) -> str:
        """The template's Django source, read through the template loaders."""
        source: str = get_template(self.template_name).template.source  # type: ignore[attr-defined]
        return source

    def docx_bytes(self) -> bytes:
        """A DOCX template's file: `template_name` is "package:path/inside/it.docx"."""
        package, _, relative = self.template_name.partition(":")
        return (resources.files(package) / relative).read_bytes()

    def __str__(self) -> str:
        return f"{self.code} v{self.version} (built in)"


_REGISTRY: dict[tuple[str, str], BuiltinTemplate] = {}


def register(*, code: str, name: str, kind: str, version: int, template_name: str) -> None:
    """Make a built-in template available; call from an AppConfig.ready().

    For HTML, `template_name` is a Django template name (it may extend
    "documents/letterhead_base.html"); for DOCX it is "package:path/inside/it.docx".
    """
    key = (code, kind)
    existing = _REGISTRY.get(key)
    template = BuiltinTemplate(
        code=code, name=name, kind=kind, version=version, template_name=template_name
    )
    if existing is not None and existing != template:
        raise ValueError(f"Two different built-in templates are registered as {code!r}.")
    _REGISTRY[key] = template


def builtin(code: str, kind: str) -> BuiltinTemplate | None:
    """The built-in template with this code and kind, if one is registered."""
    return _REGISTRY.get((code, kind))


def registered() -> list[BuiltinTemplate]:
    """Every registered built-in template, by code."""
    return sorted(_REGISTRY.values(), key=lambda t: t.code)
