"""Work queue pages: one queue's items, each linking to the case or the item itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.core.web import staff_required
from accord.queues import selectors
from accord.queues.registry import queue_for


@staff_required(cache=False)
def queue_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The items of one of the user's queues; 404 for an unknown queue or another role's."""
    queue = queue_for(request.user, code)
    if queue is None:
        raise Http404("No such queue.")
    listing = selectors.queue_list(user=request.user, queue=queue)
    return render(request, "queues/queue.html", {"nav": "dashboard", "listing": listing})
