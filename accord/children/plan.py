"""What the parenting plan takes from the children app: the children with ages, the agreed
schedule's overnights over the next 12 months, and the agreed maintenance figure."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accord.cases.models import Case
from accord.children import estimates, schedules
from accord.children.models import CaseChild
from accord.outcomes.content import format_pounds


def plan_attachments(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    context: dict[str, Any] = {
        "plan_children": [
            {"name": c.full_name, "age": c.age_on(today)}
            for c in CaseChild.objects.filter(case=case)
        ]
    }
    agreed = schedules.agreed_schedule(case)
    if agreed is not None:
        year = schedules.next_twelve_months(agreed, today)
        pattern = agreed.pattern or "custom rotation"
        context["plan_schedule"] = {
            "name": agreed.name,
            "pattern": pattern,
            "rows": [
                {"parent": p.full_name, "nights": year.nights.get(c, 0), "percent": year.percent(c)}
                for p, c in ((agreed.parent_a, "A"), (agreed.parent_b, "B"))
            ],
        }
    estimate = estimates.agreed_estimate(case)
    if estimate is not None:
        context["plan_maintenance"] = {
            "payer": estimate.paying_parent.full_name,
            "weekly": format_pounds(estimate.weekly),
            "monthly": format_pounds(estimate.explanation.get("monthly")),
        }
    return context
