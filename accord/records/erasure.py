"""What erasing a kind of record means, model by model: the one mechanism that both the
retention sweep and an erasure request use.

Each row of `TARGETS` names a model, the path from it to its case, optionally the path to the
person it belongs to (for erasure on request, which erases only that person's own records), and
the values its personal fields are overwritten with. Rows are anonymised in place with one bulk
UPDATE per model (no per-row Python), so the case's structure, dates and counts stay for the
statistics while what anyone said or who they were is gone. Audit events are never touched:
they hold ids and codes, and the chain must still verify.

Apps built later register their own (`register_target`): the fees app registers its invoices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

ERASED = "[erased]"
ERASED_NAME = "Erased person"


@dataclass(frozen=True)
class Target:
    kind: str
    model: str
    case_path: str
    person_path: str | None
    values: dict[str, Any] = field(default_factory=dict)


TARGETS: list[Target] = []


def register_target(target: Target) -> None:
    """Add what erasing one model's rows of a kind means (apps built later call this)."""
    if target not in TARGETS:
        TARGETS.append(target)


def _blank(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, "")


for _t in [
    # The case file: people, what they said, and the team's notes.
    Target(
        "case_file",
        "cases.Participant",
        "case_id",
        "pk",
        {
            "full_name": ERASED_NAME,
            "organisation_name": "",
            "email": "",
            "phone": "",
            "address": "",
            "date_of_birth": None,
            "safe_contact_notes": "",
            "safe_contact_methods": [],
            "portal_access": False,
            "user": None,
        },
    ),
    Target("case_file", "cases.Case", "pk", None, {"title": "Erased case", "summary": ""}),
    Target(
        "case_file", "rooms.Message", "room__case_id", "author_participant_id", {"body": ERASED}
    ),
    Target("case_file", "rooms.Message", "room__case_id", "room__party_id", {"body": ERASED}),
    Target(
        "case_file",
        "rooms.MessageRevision",
        "message__room__case_id",
        "message__author_participant_id",
        {"body": ERASED},
    ),
    Target(
        "case_file",
        "agenda.AgendaItem",
        "case_id",
        "proposed_by_participant_id",
        {"issue": ERASED, **_blank("view", "hopes")},
    ),
    Target("case_file", "agenda.AgendaItem", "case_id", None, {"agreed_wording": ERASED}),
    Target(
        "case_file",
        "agenda.AgendaOption",
        "item__case_id",
        "proposed_by_participant_id",
        {"text": ERASED},
    ),
    Target(
        "case_file",
        "agenda.AgendaProposal",
        "item__case_id",
        "party_id",
        {"text": ERASED, "relayed_text": ""},
    ),
    Target("case_file", "agenda.AgendaItemEvent", "item__case_id", None, _blank("note", "wording")),
    Target(
        "case_file",
        "mediation.OpeningAccount",
        "session__case_id",
        "participant_id",
        {"text": ERASED},
    ),
    Target("case_file", "mediation.SessionNote", "case_id", None, {"text": ERASED}),
    Target("case_file", "mediation.MediationStatusEvent", "case_id", None, {"reason": ERASED}),
    Target(
        "case_file",
        "intake.Enquiry",
        "case_id",
        None,
        {
            **_blank("other_issue_details", "court_details", "dispute_summary", "conflict_note"),
            "other_parties_safe": {},
        },
    ),
    Target(
        "case_file",
        "intake.Child",
        "enquiry__case_id",
        None,
        {"full_name": ERASED_NAME, "date_of_birth": None},
    ),
    Target(
        "case_file",
        "willingness.WillingnessAnswer",
        "invitation__case_id",
        "invitation__participant_id",
        {"text": ""},
    ),
    Target(
        "case_file",
        "willingness.ContactAttempt",
        "case_id",
        "participant_id",
        {"outcome": ""},
    ),
    Target(
        "case_file",
        "premediation.PreMediationMeeting",
        "case_id",
        "participant_id",
        _blank("perspective", "goals", "concerns", "ideas", "warnings_reason", "cancel_reason"),
    ),
    Target("case_file", "outcomes.OutcomeDraft", "case_id", None, {"sections": {}}),
    Target("case_file", "agreements.SigningPacket", "case_id", None, {"text": ERASED}),
    Target(
        "case_file",
        "meetings.SuitabilityDecision",
        "case_id",
        None,
        {"reasons": ERASED, "signposting": ""},
    ),
    # Safeguarding records and screening answers.
    Target(
        "safeguarding",
        "safeguarding.SafeguardingConcern",
        "case_id",
        None,
        {
            "allegation": ERASED,
            **_blank("subject_name", "alleged_by", "alleged_against", "action_taken"),
            "closed_reason": "",
        },
    ),
    Target(
        "safeguarding",
        "safeguarding.ThresholdDecision",
        "concern__case_id",
        None,
        {"reasons": ERASED},
    ),
    Target(
        "safeguarding",
        "safeguarding.Referral",
        "concern__case_id",
        None,
        _blank("information_shared", "referred_by_name"),
    ),
    Target(
        "safeguarding",
        "safeguarding.Disclosure",
        "case_id",
        None,
        {"information_shared": ERASED, **_blank("recipient_name")},
    ),
    Target(
        "safeguarding",
        "safeguarding.CaseHold",
        "case_id",
        None,
        {"reasons": ERASED, "decision_reasons": ""},
    ),
    Target(
        "safeguarding",
        "meetings.Screening",
        "case_id",
        "participant_id",
        _blank(
            "physical_abuse_notes",
            "emotional_abuse_notes",
            "coercive_control_notes",
            "financial_abuse_notes",
            "fear_of_other_party_notes",
            "risk_to_children_notes",
            "childrens_services_notes",
            "social_worker_details",
            "police_or_court_notes",
        ),
    ),
    # Complaints about the case.
    Target(
        "complaints",
        "complaints.Complaint",
        "case_id",
        "complainant_id",
        {
            "complainant_name": ERASED_NAME,
            "complainant_contact": "",
            "about": ERASED,
            "response_summary": "",
        },
    ),
]:
    register_target(_t)

#: Kinds that are never erased, and why (shown in every report).
NEVER_ERASED = {
    "audit": "Audit events hold ids and codes, not what anyone said; they are kept so that the "
    "chain still verifies."
}
#: Kinds with no records in this release (their app registers targets when it exists).
WAITING_FOR = {"invoices": "No invoices are held yet (the fees app registers them)."}


def _queryset(target: Target, case_ids: Iterable[int], person_ids: Iterable[int] | None) -> Any:
    model = apps.get_model(target.model)
    qs = model.objects.filter(**{f"{target.case_path}__in": list(case_ids)})
    if person_ids is not None:
        if target.person_path is None:
            return model.objects.none()
        qs = qs.filter(**{f"{target.person_path}__in": list(person_ids)})
    return qs


def count(kind: str, case_ids: Iterable[int], person_ids: Iterable[int] | None = None) -> int:
    """How many rows erasing this kind would touch (for the dry run and the review page)."""
    ids = list(case_ids)
    return sum(_queryset(t, ids, person_ids).count() for t in TARGETS if t.kind == kind)


def erase(kind: str, case_ids: Iterable[int], person_ids: Iterable[int] | None = None) -> int:
    """Anonymise every row of this kind in these cases (or of these people); rows touched."""
    ids = list(case_ids)
    touched = 0
    for target in TARGETS:
        if target.kind != kind:
            continue
        qs = _queryset(target, ids, person_ids)
        pks = list(qs.values_list("pk", flat=True))
        if pks:
            values = dict(target.values)
            if target.model == "complaints.Complaint":
                from django.utils import timezone

                values["erased_at"] = timezone.now()
            touched += apps.get_model(target.model).objects.filter(pk__in=pks).update(**values)
    return touched


def kept_in_person_erasure(kind: str) -> list[str]:
    """What a person's erasure keeps of this kind because it is the whole case's, not theirs."""
    return sorted(
        {
            apps.get_model(t.model)._meta.verbose_name_plural
            for t in TARGETS
            if t.kind == kind and t.person_path is None
        }
    )
