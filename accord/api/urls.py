"""Routes of the HTTP API; the project mounts this module at /api/v1/."""

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from accord.api.api import api
from accord.api.errors import error_body


def unknown_endpoint(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/v1/ answers in the API's JSON shape, not an HTML page."""
    return JsonResponse(
        error_body("No such endpoint. Paths have no trailing slash; see /api/v1/docs."),
        status=404,
    )


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
