"""The room pages, for staff (under the case) and for parties (under the portal).

The same views serve both areas; the URL says which (``area``), and each area is only for its
own people: staff pages answer 404 to participants and portal pages answer 404 to staff. Inside
an area every room, message and file is fetched through the selectors, so whoever may not use a
room gets 404 for it and for everything in it.

New messages arrive without reloading: the page polls ``.../messages/?after=<last id>`` every
3 seconds with htmx and appends what comes back. Posting works as a normal form and, with htmx,
without leaving the page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.cases.models import Case
from accord.cases.selectors import case_get_for, is_portal_party
from accord.core.errors import DomainError, NotFoundOrHidden
from accord.core.web import form_page, posted, raise_http, submit
from accord.organisations.selectors import is_staff_member
from accord.rooms import policy, selectors, services
from accord.rooms.forms import EditForm, MessageForm, RelayForm
from accord.rooms.models import Message
from accord.rooms.selectors import RoomView

STAFF, PORTAL = "staff", "portal"


def area_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Signed in, in the right area (staff or portal), never cached: rooms hold private words."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, area: str, **kwargs: Any) -> HttpResponseBase:
        staff = is_staff_member(request.user)
        if area == STAFF and not staff:
            raise Http404("No such page.")
        # Staff reach the portal's rooms only for a case in which they are a party and have
        # no staff access (accord.cases.selectors.is_portal_party).
        if area == PORTAL and staff and not is_portal_party(request.user, kwargs.get("case_pk", 0)):
            raise Http404("No such page.")
        return view(request, *args, area=area, **kwargs)

    return login_required(never_cache(wrapped))


def _case(request: HttpRequest, case_pk: int) -> Case:
    try:
        return case_get_for(user=request.user, case_id=case_pk)
    except NotFoundOrHidden:
        raise Http404("No such case.") from None


def _room(request: HttpRequest, case_pk: int, room_pk: int) -> tuple[Case, RoomView]:
    case = _case(request, case_pk)
    try:
        return case, selectors.room_get_for(user=request.user, case=case, room_id=room_pk)
    except NotFoundOrHidden:
        raise Http404("No such room.") from None


def _message(room: RoomView, message_pk: int) -> Message:
    message = Message.objects.filter(room=room.room, pk=message_pk).first()
    if message is None:
        raise Http404("No such message.")
    return message


def _room_url(area: str, case: Case, room: RoomView) -> str:
    return reverse(f"rooms:{area}_room", args=[case.pk, room.id])


def _context(request: HttpRequest, area: str, case: Case, **extra: Any) -> dict[str, Any]:
    return {
        "nav": "cases" if area == STAFF else "portal",
        "area": area,
        "url_prefix": f"rooms:{area}_",
        "case": case,
        "is_mediator": policy.is_room_mediator(request.user, case),
        **extra,
    }


@area_view
@require_GET
def room_list(request: HttpRequest, case_pk: int, area: str) -> HttpResponse:
    """The rooms of a case the user may use, with unread counts."""
    case = _case(request, case_pk)
    rooms = selectors.rooms_for(user=request.user, case=case)
    if area == PORTAL and not rooms:
        raise Http404("No such page.")
    return render(request, "rooms/room_list.html", _context(request, area, case, rooms=rooms))


def _mark_read(request: HttpRequest, room: RoomView, views: list[selectors.MessageView]) -> None:
    if views:
        services.room_mark_read(user=request.user, room=room.room, up_to_id=views[-1].id)


@area_view
@require_http_methods(["GET", "POST"])
def room_detail(request: HttpRequest, case_pk: int, room_pk: int, area: str) -> HttpResponse:
    """One room: its messages, new ones arriving by polling, and a form to write."""
    case, room = _room(request, case_pk, room_pk)
    form = MessageForm(
        posted(request), request.FILES or None, private=room.room.is_private, prefix="new"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = lambda: services.message_post(  # noqa: E731
            actor=request.user,
            room=room.room,
            body=data["body"],
            not_to_be_passed_on=bool(data.get("not_to_be_passed_on")),
            attachment=data["attachment"],
        )
        if submit(form, post):
            if request.htmx:  # type: ignore[attr-defined]
                fresh = MessageForm(private=room.room.is_private, prefix="new")
                response = _compose(request, area, case, room, fresh)
                # The poller listens for this and fetches the new message at once.
                response["HX-Trigger"] = "rooms:posted"
                return response
            return redirect(_room_url(area, case, room))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        # htmx swaps only successful answers, so the form with its errors comes back as 200.
        return _compose(request, area, case, room, form)
    before = _cursor(request, "before")
    page = selectors.room_message_page(user=request.user, room=room.room, before_id=before)
    views = page.messages
    if request.htmx and before:  # type: ignore[attr-defined]
        # "Show earlier messages": the page before, put above what is already shown.
        context = _context(request, area, case, room=room, page=page)
        return render(request, "rooms/_earlier.html", context)
    if not before:
        _mark_read(request, room, views)
    context = _context(
        request,
        area,
        case,
        room=room,
        rooms=selectors.rooms_for(user=request.user, case=case),
        room_messages=views,
        page=page,
        last_id=views[-1].id if views else (before - 1 if before else 0),
        # The suitability gate: parties are told, without reasons, when they may not write here.
        post_refusal=_post_refusal(request, case, room),
    )
    return form_page(request, "rooms/room_detail.html", form, **context)


def _cursor(request: HttpRequest, name: str) -> int | None:
    """A message id from the query string (a keyset cursor); anything else counts as none."""
    raw = request.GET.get(name, "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw) or None


def _post_refusal(request: HttpRequest, case: Case, room: RoomView) -> str:
    from accord.mediation.suitability import room_post_refusal
    from accord.rooms.policy import is_room_mediator

    return room_post_refusal(case, room.room.kind, is_staff=is_room_mediator(request.user, case))


def _compose(
    request: HttpRequest, area: str, case: Case, room: RoomView, form: MessageForm
) -> HttpResponse:
    context = _context(request, area, case, room=room, form=form)
    return render(request, "rooms/_compose.html", context)


@area_view
@require_GET
def room_poll(request: HttpRequest, case_pk: int, room_pk: int, area: str) -> HttpResponse:
    """The messages newer than ``after``, to append to the page, and the next poller."""
    case, room = _room(request, case_pk, room_pk)
    after = _cursor(request, "after") or 0
    views = selectors.room_messages(user=request.user, room=room.room, after_id=after)
    _mark_read(request, room, views)
    context = _context(
        request,
        area,
        case,
        room=room,
        room_messages=views,
        last_id=views[-1].id if views else after,
    )
    return render(request, "rooms/_poll.html", context)


@area_view
@require_http_methods(["GET", "POST"])
def message_edit(
    request: HttpRequest, case_pk: int, room_pk: int, message_pk: int, area: str
) -> HttpResponse:
    """Change the wording of one's own message, within 5 minutes of sending it."""
    case, room = _room(request, case_pk, room_pk)
    message = _message(room, message_pk)
    if message.author_id != request.user.pk or message.is_withdrawn:
        raise Http404("No such message.")
    form = EditForm(posted(request), initial={"body": message.body})
    edit = lambda: services.message_edit(  # noqa: E731
        actor=request.user, message=message, body=form.cleaned_data["body"]
    )
    if request.method == "POST" and form.is_valid() and submit(form, edit):
        flash.success(request, "Your message has been changed.")
        return redirect(_room_url(area, case, room))
    context = _context(request, area, case, room=room, message=message)
    return form_page(request, "rooms/message_edit.html", form, **context)


def _act(
    request: HttpRequest, area: str, case: Case, room: RoomView, action: Any, done: str
) -> HttpResponse:
    try:
        action()
    except NotFoundOrHidden as exc:
        raise_http(exc)
    except DomainError as exc:
        if exc.status_code == 403:
            raise_http(exc)
        flash.error(request, exc.field_errors.get("__all__", [exc.message])[0])
    else:
        flash.success(request, done)
    return redirect(_room_url(area, case, room))


@area_view
@require_POST
def message_withdraw(
    request: HttpRequest, case_pk: int, room_pk: int, message_pk: int, area: str
) -> HttpResponse:
    """Withdraw one's own message, within 5 minutes of sending it."""
    case, room = _room(request, case_pk, room_pk)
    message = _message(room, message_pk)
    withdraw = lambda: services.message_withdraw(actor=request.user, message=message)  # noqa: E731
    return _act(request, area, case, room, withdraw, "Your message has been withdrawn.")


@area_view
@require_POST
def message_mark(
    request: HttpRequest, case_pk: int, room_pk: int, message_pk: int, area: str
) -> HttpResponse:
    """Mark one's own private-room message "not to be passed on"."""
    case, room = _room(request, case_pk, room_pk)
    message = _message(room, message_pk)
    mark = lambda: services.message_mark_not_to_pass(actor=request.user, message=message)  # noqa: E731
    return _act(request, area, case, room, mark, "The mediator will not pass that message on.")


@area_view
@require_http_methods(["GET", "POST"])
def message_relay(
    request: HttpRequest, case_pk: int, room_pk: int, message_pk: int, area: str
) -> HttpResponse:
    """A mediator passes a private-room message to another room, verbatim or reworded."""
    case, room = _room(request, case_pk, room_pk)
    message = _message(room, message_pk)
    targets = selectors.relay_targets(user=request.user, room=room.room)
    if not targets:
        raise Http404("No such page.")
    form = RelayForm(posted(request), targets=[(t.id, t.title) for t in targets])
    chosen = {t.id: t.room for t in targets}
    relay = lambda: services.message_relay(  # noqa: E731
        actor=request.user,
        message=message,
        to_room=chosen[form.cleaned_data["to_room"]],
        mode=form.cleaned_data["mode"],
        text=form.cleaned_data["text"],
    )
    if request.method == "POST" and form.is_valid() and submit(form, relay):
        flash.success(request, "The message has been passed on.")
        return redirect(_room_url(area, case, room))
    [view] = [
        v
        for v in selectors.room_messages(
            user=request.user, room=room.room, after_id=message.pk - 1, limit=1
        )
        if v.id == message.pk
    ]
    context = _context(request, area, case, room=room, message=view)
    return form_page(request, "rooms/message_relay.html", form, **context)


@area_view
@require_GET
def attachment_download(
    request: HttpRequest, case_pk: int, attachment_pk: int, area: str
) -> FileResponse:
    """An attachment, to whoever may use its room; everyone else gets 404."""
    case = _case(request, case_pk)
    try:
        attachment = selectors.attachment_get_for_download(
            user=request.user, attachment_id=attachment_pk
        )
    except NotFoundOrHidden:
        raise Http404("No such file.") from None
    if attachment.message.room.case_id != case.pk:
        raise Http404("No such file.")
    try:
        handle = attachment.content.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.file_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
