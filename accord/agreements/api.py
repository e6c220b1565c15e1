"""The agreements part of the HTTP API (mounted by ``accord.api.api``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["agreements"])
