"""Reads for enquiries: the enquiry behind a case, and the conflict check across the service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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


def normalise_name(name: str) -> str:
    """Case, spacing and punctuation ignored: "  Alice  O'Neil" matches "alice oneil"."""
    return " ".join(re.sub(r"[^\w\s]", "", name.casefold()).split())


def normalise_phone(phone: str) -> str:
    """Digits only, with a UK +44 prefix written as the leading 0; too short to match is ""."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else ""


def enquiry_for_case(*, user: Any, case: Case) -> Enquiry | None:
    """The enquiry that opened the case, for staff who may open its workspace; else None."""
    if not policy.can(user, "view_workspace", case):
        return None
    return Enquiry.objects.filter(case=case).prefetch_related("children").first()


def conflict_matches(*, user: Any, case: Case) -> list[ConflictMatch]:
    """People on this case found in other cases of the same service that the user may open.

    A match is the same name and date of birth, the same email, or the same phone number,
    each compared after normalising. Cases the user may not open are never searched, so a
    match in one of them is neither shown nor counted (docs/intake.md explains why).
    """
    if not policy.can(user, "view_workspace", case):
        return []
    people = list(case.participants.all())
    if not people:
        return []
    visible = policy.restrict(
        Case.objects.filter(organisation_id=case.organisation_id).exclude(pk=case.pk),
        user,
        "view_workspace",
    )
    others = (
        Participant.objects.filter(case__in=visible)
        .select_related("case")
        .only(
            "full_name",
            "email",
            "phone",
            "date_of_birth",
            "case__id",
            "case__reference",
            "case__title",
            "case__organisation_id",
        )
        .order_by("case_id", "id")
    )
    keys = [
        (
            person,
            normalise_name(person.full_name),
            person.email.strip().casefold(),
            normalise_phone(person.phone),
        )
        for person in people
    ]
    result = []
    for other in others:
        other_name = normalise_name(other.full_name)
        other_email = other.email.strip().casefold()
        other_phone = normalise_phone(other.phone)
        for person, name, email, phone in keys:
            reasons = []
            if (
                person.date_of_birth is not None
                and person.date_of_birth == other.date_of_birth
                and name
                and name == other_name
            ):
                reasons.append("name and date of birth")
            if email and email == other_email:
                reasons.append("email")
            if phone and phone == other_phone:
                reasons.append("phone")
            if reasons:
                result.append(
                    ConflictMatch(person.full_name, other.case, other.full_name, tuple(reasons))
                )
    return result


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
