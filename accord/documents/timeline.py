"""How documents read on the case timeline."""

from __future__ import annotations

from accord.cases.timeline import register, register_prefix

register_prefix("document.", "documents")
register("document.produced", "documents", lambda i: f"{i.actor} produced {i.target}")
register(
    "document.shared",
    "documents",
    lambda i: f"{i.actor} shared a document with {i.participant()}",
)
register("document.opened", "documents", lambda i: f"{i.actor} opened a shared document")
