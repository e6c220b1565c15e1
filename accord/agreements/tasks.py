"""Background jobs of the agreements app: each only calls a service and is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def packet_pdf_refresh(packet_id: int, signature_id: int) -> bool:
    """Add a new online signature to the signed PDFs' certificate page."""
    from accord.agreements.services import packet_pdf_refresh_after_signature

    return packet_pdf_refresh_after_signature(packet_id=packet_id, signature_id=signature_id)
