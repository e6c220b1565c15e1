"""What a long-running web process does once it has started, before it serves anyone.

Python's cyclic garbage collector now and then walks every object the process holds (a full,
"generation 2" collection). An Accord process holds some 300,000 objects once Django, the views
and the libraries are loaded, and the holidays package alone adds a few hundred country modules:
a full collection then took about 200 ms, and at a million cases it fell on every twelfth view
of a busy page (the p95 of the enquiry workspace was 260 ms against a median of 49 ms).
`gc.freeze()` moves everything loaded at start-up out of the collector's sight; those objects
live as long as the process anyway. Full collections after it took 9 to 16 ms in the same bench.
"""

from __future__ import annotations

import gc


def settle_after_start() -> None:
    """Load the URL configuration (and with it every view module), then freeze the heap."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
    gc.collect()
    gc.freeze()
