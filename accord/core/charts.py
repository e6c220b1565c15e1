"""Charts drawn on the server as SVG (matplotlib's SVG backend), never a script from a CDN.

A chart is always a companion to a table with the same figures: the table is what screen readers
and printouts rely on; the chart is for the eye. Pages show a chart with
`<img src="{url}" alt="...">` pointing at a view that returns `svg_response(bar_chart(...))`.

Why an image and not inline SVG: matplotlib styles its shapes with `style` attributes, which the
pages' strict Content-Security-Policy forbids; an SVG loaded as an image is its own document, with
its own narrow policy (no scripts at all, styles allowed), set by `svg_response`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence

import matplotlib
from django.http import HttpResponse

# A bare Figure (no pyplot): no display and no global figure registry; savefig picks the SVG
# backend from the format.
from matplotlib.figure import Figure

# Accord's palette, readable side by side and by people with the common colour deficiencies.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f")

# matplotlib's global state (rcParams, the font cache) is not thread-safe; charts are small.
_LOCK = threading.Lock()

_SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    unit: str = "",
    stacked: bool = False,
    horizontal: bool = False,
) -> str:
    """Return an SVG document: one bar per category for each named series (grouped or stacked)."""
    if not categories:
        raise ValueError("A chart needs at least one category.")
    for name, values in series.items():
        if len(values) != len(categories):
            raise ValueError(f"Series {name!r} has {len(values)} values for {len(categories)}.")
    with _LOCK:
        figure = Figure(figsize=(7.2, 3.6 if not horizontal else 0.5 + 0.45 * len(categories)))
        axes = figure.add_subplot()
        count = max(len(series), 1)
        width = 0.8 if stacked else 0.8 / count
        bottoms = [0.0] * len(categories)
        positions = range(len(categories))
        for index, (name, values) in enumerate(series.items()):
            colour = PALETTE[index % len(PALETTE)]
            offsets = [p if stacked else p - 0.4 + width * (index + 0.5) for p in positions]
            if horizontal:
                axes.barh(offsets, values, height=width, left=bottoms, label=name, color=colour)
            else:
                axes.bar(offsets, values, width=width, bottom=bottoms, label=name, color=colour)
            if stacked:
                bottoms = [b + float(v) for b, v in zip(bottoms, values, strict=True)]
        if horizontal:
            axes.set_yticks(list(positions), list(categories))
            axes.invert_yaxis()
            axes.set_xlabel(unit)
        else:
            axes.set_xticks(list(positions), list(categories))
            axes.set_ylabel(unit)
            if max((len(c) for c in categories), default=0) > 12:
                axes.tick_params(axis="x", labelrotation=20)
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False)
        figure.tight_layout()
        buffer = io.StringIO()
        # No date in the metadata and a fixed id salt: the same figures draw the same bytes.
        with matplotlib.rc_context({"svg.hashsalt": "accord", "svg.fonttype": "none"}):
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def svg_response(svg: str, *, filename: str | None = None) -> HttpResponse:
    """An SVG chart as its own image document, with a policy that allows no script at all."""
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = _SVG_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
