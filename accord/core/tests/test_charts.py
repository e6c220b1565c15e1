"""Server-drawn SVG charts: deterministic, script-free, served with their own narrow policy."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.charts import bar_chart, svg_response


def test_a_chart_is_svg_without_scripts_and_draws_the_same_bytes_twice():
    args: dict[str, Any] = {
        "title": "Capital after each scenario",
        "categories": ["Keep house", "Sell house"],
        "series": {"Party A": [120_000, 90_000], "Party B": [80_000, 110_000]},
        "unit": "£",
    }
    first = bar_chart(**args)
    assert first.lstrip().startswith("<?xml") and "<svg" in first
    assert "<script" not in first
    assert "Capital after each scenario" in first
    assert bar_chart(**args) == first


def test_a_chart_refuses_mismatched_figures():
    with pytest.raises(ValueError, match="has 1 values for 2"):
        bar_chart(title="x", categories=["a", "b"], series={"A": [1]})
    with pytest.raises(ValueError, match="at least one category"):
        bar_chart(title="x", categories=[], series={})


def test_the_svg_response_carries_its_own_policy():
    response = svg_response(bar_chart(title="t", categories=["a"], series={"A": [1]}, stacked=True))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
