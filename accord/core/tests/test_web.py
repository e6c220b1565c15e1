"""The shared staff-page plumbing: who gets in, caching, and how service refusals are shown."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accord.core.errors import DomainError, NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.core.forms import AccordForm
from accord.core.web import form_page, posted, raise_http, staff_required, submit

pytestmark = pytest.mark.django_db

SUMMARY = "core/includes/error_summary.html"


class _NameForm(AccordForm):
    name = forms.CharField(label="Name")


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff page")


def _get(user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return request


def test_staff_required_sends_someone_signed_out_to_sign_in():
    response = staff_required(_page)(_get(AnonymousUser()))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("cache", [True, False])
def test_staff_required_answers_404_to_a_signed_in_party(service, cache):
    view = staff_required(cache=cache)(_page)

    with pytest.raises(Http404):
        view(_get(service.parties["alice"]))


def test_staff_required_leaves_caching_to_the_page_by_default(service):
    response = staff_required(_page)(_get(service.mediator))

    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_staff_required_without_cache_tells_browsers_to_keep_no_copy(service):
    response = staff_required(cache=False)(_page)(_get(service.mediator))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_safeguarding_record_pages_are_never_cached(service):
    client = Client()
    client.force_login(service.mediator)

    response = client.get(
        reverse("safeguarding:index", kwargs={"case_pk": service.cases["family"].pk})
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_posted_binds_an_empty_post_but_not_a_get():
    factory = RequestFactory()

    assert posted(factory.post("/x/", {})) is not None
    assert posted(factory.get("/x/", {"name": "Alice"})) is None


def test_submit_puts_a_rule_broken_on_the_form_field_it_is_about():
    form = _NameForm({"name": "Alice"})
    assert form.is_valid()

    def refuse() -> None:
        raise ValidationFailed("No.", field_errors={"name": ["That name is taken."]})

    assert submit(form, refuse) is False
    assert form.errors == {"name": ["That name is taken."]}


def test_submit_reports_success_when_the_service_accepts():
    form = _NameForm({"name": "Alice"})
    assert form.is_valid()

    assert submit(form, lambda: None) is True
    assert not form.errors


@pytest.mark.parametrize(
    ("error", "expected"),
    [(NotFoundOrHidden("Gone."), Http404), (NotPermitted("Not yours."), PermissionDenied)],
)
def test_submit_turns_hidden_and_forbidden_into_http_errors(error, expected):
    form = _NameForm({"name": "Alice"})
    assert form.is_valid()

    def refuse() -> None:
        raise error

    with pytest.raises(expected):
        submit(form, refuse)
    assert not form.errors


def test_raise_http_turns_any_other_domain_error_into_a_bad_request_not_a_server_error():
    error = DomainError("Something else.")

    with pytest.raises(BadRequest, match=r"Something else\."):
        raise_http(error)


def test_form_page_answers_422_for_a_posted_form_with_errors():
    request = RequestFactory().post("/x/", {"name": ""})
    form = _NameForm(posted(request))
    form.is_valid()

    response = form_page(request, SUMMARY, form)

    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()


def test_form_page_answers_200_when_first_shown():
    request = RequestFactory().get("/x/")
    form = _NameForm(posted(request))

    response = form_page(request, SUMMARY, form)

    assert response.status_code == 200
    assert "There is a problem" not in response.content.decode()
