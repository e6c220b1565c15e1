"""Reads for enquiries: the enquiry behind a case, and the conflict check across the service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from accord.cases import policy
from accord.cases.models import Case, Participant
from accord.intake.models import Enquiry
from accord.intake.offer import EnquiryFormChoice, form_choices
from accord.organisations.models import Organisation


@dataclass(frozen=True)
class ConflictMatch:
    """A person on this case who also appears in another case the user may open."""

    person: str
    other_case: Case
    other_person: str
    reasons: tuple[str, ...]


def enquiry_for_case(*, user: Any, case: Case) -> Enquiry | None:
    """The enquiry that opened the case, for staff who may open its workspace; else None.

    Without its stored conflict check, which `conflict_summary` reads and filters for the user
    (hundreds of matches, read twice on every view of the workspace before).
    """
    if not policy.can(user, "view_workspace", case):
        return None
    return (
        Enquiry.objects.filter(case=case)
        .defer("conflict_hits")
        .select_related("conflict_decided_by")
        .prefetch_related("children")
        .first()
    )


def conflict_hits_find(*, case: Case) -> list[dict[str, Any]]:
    """Everyone in other cases of the service who matches someone on this case.

    A match is the same name and date of birth, the same email, or the same phone number,
    each compared on the normalised keys the participant services keep (indexed columns),
    so the cost is a few index lookups whatever the size of the service. Not restricted to
    a user: `conflict_matches` decides who sees which when the result is shown.
    """
    people = list(
        case.participants.only("pk", "name_key", "email_key", "phone_key", "date_of_birth")
    )
    wanted = Q()
    for person in people:
        if person.name_key and person.date_of_birth is not None:
            wanted |= Q(name_key=person.name_key, date_of_birth=person.date_of_birth)
        if person.email_key:
            wanted |= Q(email_key=person.email_key)
        if person.phone_key:
            wanted |= Q(phone_key=person.phone_key)
    if not wanted:
        return []
    others = (
        Participant.objects.filter(wanted, organisation_id=case.organisation_id)
        .exclude(case_id=case.pk)
        .only("pk", "case_id", "name_key", "email_key", "phone_key", "date_of_birth")
        .order_by("case_id", "id")
    )
    hits = []
    for other in others:
        for person in people:
            reasons = []
            if (
                person.name_key
                and person.date_of_birth is not None
                and (person.name_key, person.date_of_birth) == (other.name_key, other.date_of_birth)
            ):
                reasons.append("name and date of birth")
            if person.email_key and person.email_key == other.email_key:
                reasons.append("email")
            if person.phone_key and person.phone_key == other.phone_key:
                reasons.append("phone")
            if reasons:
                hits.append(
                    {
                        "person": person.pk,
                        "other": other.pk,
                        "other_case": other.case_id,
                        "reasons": reasons,
                    }
                )
    return hits


#: The conflict panel lists this many matches, strongest first, with a link to show them all.
CONFLICT_SHOWN = 20


@dataclass(frozen=True)
class ConflictSummary:
    """The matches a user may see: the first ones to show, and how many there are in all."""

    shown: list[ConflictMatch]
    total: int
    other_cases: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


def _strength(hit: dict[str, Any]) -> tuple[int, int, int]:
    # Name with date of birth is the strongest sign that it is the same person; then how many
    # details agree; then the newest case first.
    reasons = hit.get("reasons") or []
    return (-int("name and date of birth" in reasons), -len(reasons), -int(hit["other_case"]))


def conflict_summary(
    *, user: Any, case: Case, limit: int | None = CONFLICT_SHOWN
) -> ConflictSummary:
    """The stored conflict check of the case's enquiry, as this user may see it.

    Matches in cases the user may not open are neither shown nor counted (docs/intake.md
    explains why). The check itself ran when the enquiry arrived, or when someone asked for
    it again (`conflict_check_run`); a page view only reads its result. Only the first `limit`
    matches (strongest first) are looked up for display (None: all of them), so a check that
    matched hundreds of people costs the page one query for their cases' visibility, not a
    row for each of them.
    """
    empty = ConflictSummary([], 0, 0)
    if not policy.can(user, "view_workspace", case):
        return empty
    enquiry = Enquiry.objects.filter(case=case).only("conflict_hits").first()
    hits = enquiry.conflict_hits if enquiry is not None else []
    if not hits:
        return empty
    other_cases = {hit["other_case"] for hit in hits}
    # The check only ever matches people of the same service: someone who may open every case
    # of it sees every match, without asking the database about each case.
    visible_ids = (
        other_cases
        if policy.sees_every_case(user, case.organisation_id, "view_workspace")
        else set(
            policy.restrict(
                Case.objects.filter(organisation_id=case.organisation_id, pk__any=other_cases),
                user,
                "view_workspace",
            ).values_list("pk", flat=True)
        )
    )
    present = set(
        Participant.objects.filter(
            pk__any=sorted({hit["person"] for hit in hits} | {hit["other"] for hit in hits})
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    # A person removed from either case since the check ran is neither shown nor counted.
    seen = sorted(
        (
            hit
            for hit in hits
            if hit["other_case"] in visible_ids
            and hit["person"] in present
            and hit["other"] in present
        ),
        key=_strength,
    )
    chosen = seen if limit is None else seen[:limit]
    cases = {
        other.pk: other
        for other in Case.objects.filter(pk__in={hit["other_case"] for hit in chosen}).only(
            "pk", "reference", "title", "organisation_id"
        )
    }
    names = dict(
        Participant.objects.filter(
            pk__in={hit["person"] for hit in chosen} | {hit["other"] for hit in chosen}
        ).values_list("pk", "full_name")
    )
    shown = [
        ConflictMatch(
            names.get(hit["person"], ""),
            cases[hit["other_case"]],
            names.get(hit["other"], ""),
            tuple(hit["reasons"]),
        )
        for hit in chosen
        if hit["other_case"] in cases
    ]
    return ConflictSummary(shown, len(seen), len({hit["other_case"] for hit in seen}))


def conflict_matches(*, user: Any, case: Case) -> list[ConflictMatch]:
    """Every match of the stored conflict check that the user may see (the API's list)."""
    return conflict_summary(user=user, case=case, limit=None).shown


@dataclass(frozen=True)
class ServiceForms:
    """A service and the public enquiry forms it offers."""

    organisation: Organisation
    choices: tuple[EnquiryFormChoice, ...]


def services_with_forms() -> list[ServiceForms]:
    """Every service with the enquiry forms it offers, for the public landing page.

    Public by design: a service's name, its contact details and the kinds of mediation it offers
    are what it advertises. Nothing about its cases is read.
    """
    listing = []
    public = ("name", "slug", "kinds_offered", "email", "phone")
    for organisation in Organisation.objects.order_by("name").only(*public):
        choices = tuple(form_choices(organisation.kinds_offered))
        if choices:
            listing.append(ServiceForms(organisation, choices))
    return listing
