"""The Accord HTTP API, mounted at /api/v1/ (see docs/api.md).

One NinjaAPI instance: every operation needs a personal API token or a signed-in session
(`accord.api.auth`), and every error has the same JSON shape (`accord.api.errors`).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from accord.agenda.api import router as agenda_router
from accord.agreements.api import router as agreements_router
from accord.api.auth import API_AUTH
from accord.api.errors import install_error_handlers
from accord.api.me import router as me_router
from accord.api.openapi import document_idempotency
from accord.api.strict_query import refuse_unknown_query_parameters
from accord.cases.api import router as cases_router
from accord.children.api import router as children_router
from accord.complaints.api import router as complaints_router
from accord.deadlines.api import router as deadlines_router
from accord.documents.api import router as documents_router
from accord.fees.api import router as fees_router
from accord.finance.api import router as finance_router
from accord.intake.api import router as enquiries_router
from accord.mediation.api import router as mediation_router
from accord.meetings.api import router as meetings_router
from accord.organisations.api import router as staff_router
from accord.outcomes.api import router as outcomes_router
from accord.premediation.api import router as premediation_router
from accord.records.api import router as records_router
from accord.rooms.api import router as rooms_router
from accord.safeguarding.api import router as safeguarding_router
from accord.send.api import router as send_router
from accord.willingness.api import router as willingness_router


class AccordAPI(NinjaAPI):
    """The API, whose schema also documents the ``Idempotency-Key`` header of every write."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_idempotency(super().get_openapi_schema(**kwargs))


api = AccordAPI(
    urls_namespace="api",
    version="1",
    title="Accord API",
    description=(
        "Case management for mediation services. Authenticate with a personal API token "
        "(`Authorization: Bearer acc_...`) or a signed-in browser session with the CSRF "
        'token on unsafe methods. Errors are `{"detail": ..., "errors": {field: [...]}}`.'
    ),
    auth=API_AUTH,
)
install_error_handlers(api)
api.add_decorator(refuse_unknown_query_parameters, mode="view")
api.add_router("", me_router)
api.add_router("", cases_router)
api.add_router("", willingness_router)
api.add_router("", agreements_router)
api.add_router("", mediation_router)
api.add_router("", agenda_router)
api.add_router("", rooms_router)
api.add_router("", outcomes_router)
api.add_router("", meetings_router)
api.add_router("", staff_router)
api.add_router("", premediation_router)
api.add_router("", deadlines_router)
api.add_router("", documents_router)
api.add_router("", finance_router)
api.add_router("", send_router)
api.add_router("", children_router)
api.add_router("", fees_router)
api.add_router("", complaints_router)
api.add_router("", safeguarding_router)
api.add_router("", enquiries_router)
api.add_router("", records_router)
