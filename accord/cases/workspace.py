"""The case workspace's sections, what its summary shows, and links back to a section.

The workspace is split into sections (`kinds.Part.section`): a summary, then one section per
group of parts, then the timeline. Only sections with a part that applies to the case's kind are
offered, and the safeguarding section only to those the safeguarding policy lets raise a concern
or read the records. Views that post from a panel redirect with `section_url` so the user lands
back where they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from accord.cases import kinds, policy
from accord.cases.models import Case
from accord.cases.progress import NextStep, next_steps

#: Every section in workspace order, with its label on the tabs.
SECTIONS: dict[str, str] = {
    "summary": "Summary",
    "people": "People",
    "preparation": "Preparation",
    "finance": "Money and property",
    "mediation": "Mediation",
    "outcomes": "Outcomes",
    "safeguarding": "Safeguarding",
    "documents": "Documents",
    "fees": "Fees",
    "timeline": "Timeline",
}
DEFAULT_SECTION = "summary"
#: Sections every case has, whatever parts apply: the summary, its people and its timeline.
_ALWAYS = frozenset({"summary", "people", "timeline"})


@dataclass(frozen=True)
class Section:
    """One tab of the workspace."""

    name: str
    label: str
    url: str
    #: The codes of the parts that apply to the case in this section.
    parts: tuple[str, ...] = ()

    @property
    def part_labels(self) -> list[str]:
        """The parts of the section in words, in workspace order."""
        return [kinds.part(code).label for code in self.parts]


def section_url(case: Case | int, section: str, anchor: str = "") -> str:
    """The workspace opened on a section, e.g. after a form posted from one of its panels."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown workspace section {section!r}.")
    pk = case if isinstance(case, int) else case.pk
    url = reverse("cases:detail", args=[pk])
    if section != DEFAULT_SECTION:
        url += "?" + urlencode({"section": section})
    return url + (f"#{anchor}" if anchor else "")


def _may_see_safeguarding(user: Any, case: Case) -> bool:
    # The same test as the safeguarding panel: any of the case's staff may raise a concern
    # (safeguarding.policy.can_raise_concern), and the restricted audience reads the records.
    return policy.can(user, "view_workspace", case) or policy.can(user, "view_restricted", case)


def sections_for(user: Any, case: Case) -> list[Section]:
    """The sections of this case's workspace this user is offered, in order."""
    parts_by_section: dict[str, list[str]] = {}
    for item in kinds.parts_for(case.kind):
        parts_by_section.setdefault(item.section, []).append(item.code)
    result = []
    for name, label in SECTIONS.items():
        parts = tuple(parts_by_section.get(name, ()))
        if name not in _ALWAYS and not parts:
            continue
        if name == "safeguarding" and not _may_see_safeguarding(user, case):
            continue
        result.append(Section(name, label, section_url(case, name), parts))
    return result


def current_section(raw: str | None, sections: list[Section]) -> Section:
    """The section asked for; an unknown or unavailable one falls back to the summary."""
    for section in sections:
        if section.name == raw:
            return section
    return sections[0]


# The summary -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyDate:
    """A date worth knowing at a glance: the next appointment, a deadline, when it opened."""

    label: str
    at: dt.datetime
    url: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class Alert:
    """Something that stops or changes the work on the case."""

    text: str
    url: str = ""


@dataclass
class Summary:
    """What the summary section shows."""

    steps: list[NextStep]
    dates: list[KeyDate] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


def _next_appointment(user: Any, case: Case, now: dt.datetime) -> KeyDate | None:
    from accord.mediation.models import SessionStatus
    from accord.mediation.selectors import session_list_for
    from accord.meetings.models import MiamStatus
    from accord.meetings.selectors import miam_list_for

    found: list[KeyDate] = []
    if kinds.applies(case.kind, "sessions"):
        session = (
            session_list_for(user=user, case=case)
            .filter(status=SessionStatus.BOOKED, starts_at__gte=now)
            .order_by("starts_at", "id")
            .first()
        )
        if session is not None:
            found.append(
                KeyDate(
                    f"Next session ({session.get_format_display().lower()})",
                    session.starts_at,
                    section_url(case, "mediation"),
                )
            )
    if kinds.applies(case.kind, "miam"):
        miam = (
            miam_list_for(user=user, case=case)
            .filter(status=MiamStatus.BOOKED, starts_at__gte=now)
            .order_by("starts_at", "id")
            .first()
        )
        if miam is not None:
            found.append(KeyDate("Next MIAM", miam.starts_at, section_url(case, "preparation")))
    return min(found, key=lambda date: date.at) if found else None


def summary_for(user: Any, case: Case, *, now: dt.datetime | None = None) -> Summary:
    """Stage, what is next, key dates and alerts for one member of staff, read through selectors."""
    from accord.deadlines.selectors import deadlines_for_case
    from accord.meetings.models import SuitabilityRoute
    from accord.meetings.selectors import open_screening_alert_for, suitability_for
    from accord.safeguarding import policy as safeguarding_policy

    now = now or timezone.now()
    summary = Summary(steps=next_steps(case, user=user))
    appointment = _next_appointment(user, case, now)
    if appointment is not None:
        summary.dates.append(appointment)
    for row in deadlines_for_case(user, case, now=now):
        if row.deadline.is_open:
            summary.dates.append(
                KeyDate(
                    row.deadline.title,
                    row.deadline.due_at,
                    section_url(case, "summary", "case-deadlines"),
                    overdue=row.is_overdue,
                )
            )
    summary.dates.append(KeyDate("Opened", case.opened_at))

    if case.is_paused:
        summary.alerts.append(
            Alert("The case is paused while a safeguarding investigation is open.")
        )
    if safeguarding_policy.can_read_records(user, case):
        from accord.safeguarding.models import ConcernStatus, SafeguardingConcern

        open_concerns = (
            SafeguardingConcern.objects.filter(safeguarding_policy.records_filter(user), case=case)
            .exclude(status=ConcernStatus.CLOSED)
            .count()
        )
        if open_concerns:
            summary.alerts.append(
                Alert(
                    f"{open_concerns} open safeguarding concern"
                    f"{'' if open_concerns == 1 else 's'}.",
                    section_url(case, "safeguarding"),
                )
            )
    if (
        kinds.applies(case.kind, "screening")
        and not case.is_closed
        and open_screening_alert_for(user=user, case=case)
    ):
        # Restricted: only the audience that may read screening learns of it; no answers given.
        summary.alerts.append(
            Alert(
                "A newer screening suggests a more protective route than the suitability "
                "decision: no session can be booked or started until a new decision is recorded.",
                section_url(case, "preparation"),
            )
        )
    if kinds.applies(case.kind, "suitability") and not case.is_closed:
        decision = suitability_for(user=user, case=case)
        if decision is not None and decision.route == SuitabilityRoute.NOT_SUITABLE:
            summary.alerts.append(
                Alert(
                    "The case was found not suitable for mediation: no sessions can be booked.",
                    section_url(case, "preparation"),
                )
            )
    return summary
