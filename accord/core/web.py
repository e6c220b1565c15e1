"""Plumbing shared by the staff pages: who may reach them, and how a form page talks to a service.

Every staff page in Accord has the same shape (see STYLE.md, "One write path"): parse the input
with a form, call one service, and either redirect on success or show the form again with the
service's reasons. The helpers here are that shape, written once:

``staff_required``
    Signed-in staff only. Anyone else who is signed in gets 404, never 403: a participant must
    not be able to learn that a staff page exists. Pages holding restricted records (the
    safeguarding record) also opt out of every cache with ``cache=False``.
``posted``
    The data to bind a form to: the POST body on a POST (even an empty one, so that it is
    validated and its errors shown), otherwise ``None`` so that a GET shows an unbound form.
``submit``
    Call a service. A refusal the user can correct (``ValidationFailed`` and other plain
    ``DomainError``\\ s) goes onto the form; one that means "not yours to see" or "not yours to
    do" becomes the matching HTTP error through ``raise_http``.
``form_page``
    Render the form page, answering 422 when a POSTed form is shown again with errors, so that
    tests, htmx and API-minded clients can tell a refusal from a first showing.

A typical view::

    @staff_required
    @require_http_methods(["GET", "POST"])
    def case_edit(request, pk):
        case = ...
        form = CaseDetailsForm(posted(request))
        if request.method == "POST" and form.is_valid():
            if submit(form, lambda: services.case_update_details(actor=request.user, ...)):
                return redirect(...)
        return form_page(request, "cases/case_edit.html", form, case=case)

These depend only on ``accord.core`` and on ``organisations.selectors.is_staff_member``, for the
one question "is this person staff?"; the domain rules stay in each app's services and policy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, overload

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted
from accord.core.forms import AccordForm
from accord.organisations.selectors import is_staff_member

_View = TypeVar("_View", bound=Callable[..., HttpResponse])


@overload
def staff_required(view: _View, /, *, cache: bool = True) -> _View: ...


@overload
def staff_required(*, cache: bool = True) -> Callable[[_View], _View]: ...


def staff_required(
    view: _View | None = None, /, *, cache: bool = True
) -> _View | Callable[[_View], _View]:
    """Signed-in staff only; anyone else signed in gets 404, as if the page did not exist.

    Use it bare (``@staff_required``) or with options (``@staff_required(cache=False)``).

    - Someone not signed in is sent to the sign-in page by ``login_required``, which runs first.
    - Someone signed in but not staff (a participant) gets ``Http404("No such page.")``.
    - ``cache=False`` adds ``never_cache`` to what staff are answered, so that no browser or proxy
      keeps a copy of a restricted record. It wraps the view inside the staff check, exactly as
      the safeguarding pages always had it: the sign-in redirect and the 404 are left as Django
      makes them.
    """

    def decorate(inner: _View) -> _View:
        @wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_staff_member(request.user):
                raise Http404("No such page.")
            return inner(request, *args, **kwargs)

        guarded: Callable[..., HttpResponse] = wrapped if cache else never_cache(wrapped)
        return login_required(guarded)  # type: ignore[return-value]

    if view is None:
        return decorate
    return decorate(view)


def raise_http(exc: DomainError) -> NoReturn:
    """Turn a service's refusal to act into the matching HTTP error.

    ``NotFoundOrHidden`` becomes 404 and ``NotPermitted`` 403, each with the service's message.
    Any other ``DomainError`` (a broken rule) becomes a 400 page rather than a server error;
    callers that can show it beside a form catch those first, as ``submit`` does.
    """
    if isinstance(exc, NotFoundOrHidden):
        raise Http404(exc.message)
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message)
    raise BadRequest(exc.message) from exc


def submit(form: AccordForm, action: Callable[[], Any]) -> bool:
    """Call a service; on a rule broken put its messages on the form and report failure.

    ``action`` takes no arguments (usually a lambda over the form's cleaned data) and its return
    value is ignored: a view that needs the created object appends it to a list in the lambda.
    Returns True when the service succeeded. Hidden or forbidden objects raise 404 or 403
    through ``raise_http`` rather than appearing as form errors, so a refusal never tells the
    user more than the page itself would.
    """
    try:
        action()
    except (NotFoundOrHidden, NotPermitted) as exc:
        raise_http(exc)
    except DomainError as exc:
        form.add_domain_error(exc)
        return False
    return True


def posted(request: HttpRequest) -> Any:
    """The submitted data for a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    template: str,
    form: AccordForm,
    /,
    *,
    nav: str = "cases",
    **context: Any,
) -> HttpResponse:
    """Render a form page; 422 when it is shown again with errors, so clients can tell.

    The template gets ``form``, ``nav`` (the main navigation item to highlight) and every other
    keyword argument. ``nav`` defaults to "cases" because every form page so far acts on a case
    and sits under Cases in the navigation. A GET, or a POST whose form has no errors (which a
    view normally answers with a redirect instead), is answered with 200.
    """
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, template, {"form": form, "nav": nav, **context}, status=status)
