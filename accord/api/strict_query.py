"""Every operation refuses query parameters it does not know, with a 422 naming them.

A filter a client misspells (``?stgae=miam``) or one the API does not have would otherwise be
ignored, and the client would take an unfiltered list for a filtered one. The check is one
API-wide decorator (installed by ``accord.api.api``), not a copy in each endpoint: it reads the
query parameters each operation declares (its ``Query[...]`` schema or plain query arguments)
from ninja's own parameter models, so a new endpoint is covered without doing anything.

It runs before ninja validates the input, but after authentication and the other checks, so a
caller who is not signed in still gets a 401 rather than learning which parameters exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from accord.api.errors import INVALID_REQUEST, error_body

UNKNOWN_PARAMETER = "This query parameter is not recognised."


def declared_query_parameters(operation: Any) -> frozenset[str]:
    """The query parameter names an operation declares, as its OpenAPI schema lists them."""
    names: set[str] = set()
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) != "query":
            continue
        flatten = getattr(model, "__ninja_flatten_map__", None)
        if flatten:
            names.update(flatten)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(names)


def refuse_unknown_query_parameters(run: Callable[..., HttpResponseBase]) -> Any:
    """Wrap an operation's ``run`` (ninja's "view" decorator mode) with the check."""
    operation = getattr(run, "__self__", None)
    if operation is None:  # another view decorator came first: install this one first
        raise TypeError("refuse_unknown_query_parameters must wrap the operation's own run.")
    known = declared_query_parameters(operation)

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            refused = operation._run_checks(request)  # sign-in, CSRF, throttles first
            if refused is not None:
                return refused
            return operation.api.create_response(
                request,
                error_body(INVALID_REQUEST, {name: [UNKNOWN_PARAMETER] for name in unknown}),
                status=422,
            )
        return run(request, *args, **kwargs)

    return checked
