"""Reads of the records app's holds and erasure requests, shared by the pages and the API.

Callers pass the organisation the service admin administers (both find it through the
complaints policy's `admin_organisations`); nothing here looks beyond that service.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accord.organisations.models import Organisation
from accord.records.models import ErasureRequest, RecordHold

#: As many rows as the lists show.
HOLDS_SHOWN = 200
ERASURES_SHOWN = 500


def holds_in_force(organisation: Organisation | int) -> QuerySet[RecordHold]:
    """The service's holds not yet released, newest first."""
    return (
        RecordHold.objects.filter(organisation=organisation, released_at__isnull=True)
        .select_related("case")
        .order_by("-created_at")[:HOLDS_SHOWN]
    )


def hold_get(organisation: Organisation | int, pk: int) -> RecordHold | None:
    """One of the service's holds, or None (another service's is None too)."""
    return (
        RecordHold.objects.filter(organisation=organisation, pk=pk).select_related("case").first()
    )


def _erasures() -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.select_related("participant", "participant__case")


def erasure_requests_for_service(organisation: Organisation | int) -> QuerySet[ErasureRequest]:
    """The service's erasure requests, newest first (the model's order)."""
    return _erasures().filter(organisation=organisation)[:ERASURES_SHOWN]


def erasure_request_get(organisation: Organisation | int, pk: int) -> ErasureRequest | None:
    """One of the service's erasure requests, or None."""
    return _erasures().filter(organisation=organisation, pk=pk).first()
