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
from django.db.models.functions import TruncYear

ERASED = "[erased]"
ERASED_NAME = "Erased person"


@dataclass(frozen=True)
class Target:
    kind: str
    model: str
    case_path: str
    person_path: str | None
    values: dict[str, Any] = field(default_factory=dict)
    #: File fields whose stored files are deleted before the row is blanked.
    files: tuple[str, ...] = ()


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
            # The normalised copies the search index and the conflict check read
            # (Participant.set_keys): left in place, an erased person was still found by
            # their name, email or phone, and still matched new enquiries.
            "name_key": "",
            "email_key": "",
            "phone_key": "",
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
    # Why a MIAM or a session was cancelled, or booked or moved over a clash: free text for the
    # team that can name people or describe a risk. A MIAM is its attendees' own (usually one
    # party); a session the case's.
    Target(
        "case_file",
        "meetings.Miam",
        "case_id",
        "attendees",
        _blank("cancel_reason", "warnings_reason"),
    ),
    Target(
        "case_file",
        "mediation.MediationSession",
        "case_id",
        None,
        _blank("cancel_reason", "warnings_reason"),
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
    # Children (the children app): the children themselves, what a child said in a
    # consultation, why their meeting was booked over a clash, and the parents' schedules and
    # maintenance estimates.
    Target(
        "case_file",
        "children.CaseChild",
        "case_id",
        None,
        # The date of birth cannot be empty (ages drive the pages and the calculators), so it
        # is cut to 1 January of the year: with the name gone, the year alone names nobody, and
        # the statistics still count the child in the right age band. Setting it to None made
        # the sweep fail with an IntegrityError for every case with a recorded child.
        {"full_name": ERASED_NAME, "date_of_birth": TruncYear("date_of_birth")},
    ),
    Target(
        "case_file",
        "children.ChildOffer",
        "case_id",
        None,
        {"notes": ERASED, "feedback": ERASED, "place": "", "warnings_reason": ""},
    ),
    Target(
        "case_file",
        "children.CareSchedule",
        "case_id",
        None,
        {"name": ERASED, "holidays": []},
    ),
    # SEND (the send app): the child or young person, the family's words and the calls.
    Target(
        "case_file",
        "send.SendRecord",
        "case_id",
        None,
        {
            "child_name": ERASED_NAME,
            # Cut to its year, as the children app's (it cannot be empty either).
            "child_date_of_birth": TruncYear("child_date_of_birth"),
            **_blank(
                "capacity_note",
                "short_notice_consent_note",
                "views_representation",
                "stopped_note",
                "ehc_wording_note",
            ),
        },
    ),
    Target("case_file", "send.SendCall", "case_id", "participant_id", {"summary": ERASED}),
    Target(
        "case_file",
        "send.SendAction",
        "case_id",
        None,
        {"description": ERASED, "owner_name": "", "done_note": ""},
    ),
    # Financial documents (the finance and children apps): what each party disclosed, the
    # evidence files, scenarios built from it and child maintenance estimates.
    Target(
        "financial",
        "finance.Disclosure",
        "case_id",
        "participant_id",
        {"shared_items": []},
    ),
    Target(
        "financial",
        "finance.DisclosureItem",
        "disclosure__case_id",
        "disclosure__participant_id",
        {"description": ERASED, "note": ""},
    ),
    Target(
        "financial",
        "finance.Evidence",
        "item__disclosure__case_id",
        "item__disclosure__participant_id",
        {"file_name": ERASED, "content": ""},
        files=("content",),
    ),
    Target(
        "financial",
        "finance.Scenario",
        "case_id",
        None,
        {"title": ERASED, "allocations": {}, "sold": []},
    ),
    Target("financial", "finance.ConsentPackDelivery", "case_id", "party_id", {"solicitor": ""}),
    Target(
        "financial",
        "children.MaintenanceEstimate",
        "case_id",
        "paying_parent_id",
        {
            "explanation": {},
            "nights": [],
            "gross_weekly_income": 0,
            "weekly": 0,
            "collect_and_pay": {},
        },
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

#: Models of the apps built after records that hold nothing about a person beyond codes, ids,
#: dates and amounts (or are staff and rule data), and why; every other model of those apps
#: has a target above (tested: `test_every_personal_data_model_is_registered`).
NO_PERSONAL_DATA = {
    "finance.EvidenceRequirement": "Rule data: what evidence a Form E part needs.",
    "finance.FinanceSettings": "A service's settings.",
    "finance.Rating": "A party's priority code for an item (the item's words are erased).",
    "children.ChildConsultant": "A member of staff's DBS check, not a participant's data.",
    "children.ParentConsent": "A yes or no code per parent.",
    "children.SchoolTerm": "A service's school term dates (a setting).",
    "send.SendAttendee": "Who attends in which capacity (codes).",
    "send.SendCertificate": "Points to an issued document version (immutable, kept).",
    "fees.FeeRate": "The service's fee schedule.",
    "fees.VatRate": "Rule data.",
    "fees.FeeSharing": "Percentages per party id.",
    "fees.InvoiceCounter": "The service's next invoice number.",
    "fees.InvoiceLine": "What was charged: an event, its date and amounts, no names.",
    "fees.MeansThreshold": "Rule data.",
    "fees.VoucherReference": "The FMC's reference for the case's voucher claim.",
}

#: Kinds that are never erased, and why (shown in every report).
NEVER_ERASED = {
    "audit": "Audit events hold ids and codes, not what anyone said; they are kept so that the "
    "chain still verifies."
}
#: Kinds with no records until an app registers targets for them (the fees app: invoices).
WAITING_FOR = {"invoices": "No invoices are held (the fees app registers them)."}


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
        if pks and target.files:
            _delete_files(target, pks)
        logins = []
        if pks and target.model == "cases.Participant":
            logins = [
                u
                for u in apps.get_model(target.model)
                .objects.filter(pk__in=pks)
                .values_list("user_id", flat=True)
                if u
            ]
        if pks:
            values = dict(target.values)
            if target.model == "complaints.Complaint":
                from django.utils import timezone

                values["erased_at"] = timezone.now()
            touched += apps.get_model(target.model).objects.filter(pk__in=pks).update(**values)
        if logins:
            touched += _erase_logins(logins)
    return touched


def _erase_logins(user_ids: list[int]) -> int:
    """Anonymise the portal logins of erased participants that nothing else needs: no staff
    role anywhere and no other participation left (in this service or another). Old audit
    events name them by id only through the live user (timelines read the user's name today),
    so this is what keeps an erased party's name off every timeline."""
    from django.contrib.auth import get_user_model

    from accord.cases.models import Participant

    still_needed = set(
        Participant.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=[u for u in user_ids if u not in still_needed], is_staff=False)
        .filter(memberships__isnull=True)
    )
    touched = 0
    ids = list(users.values_list("pk", flat=True))
    if ids and apps.is_installed("allauth.account"):
        apps.get_model("account", "EmailAddress").objects.filter(user_id__in=ids).delete()
    for pk in ids:
        # One UPDATE each: the email is unique, so each gets its own placeholder address.
        touched += (
            get_user_model()
            .objects.filter(pk=pk)
            .update(
                full_name=ERASED_NAME,
                email=f"erased-{pk}@erased.invalid",
                is_active=False,
                password="!erased",  # noqa: S106  (an unusable password, not a secret)
            )
        )
    return touched


def _delete_files(target: Target, pks: list[int]) -> None:
    """Delete the stored files of these rows once the erasure commits (a file cannot be blanked
    by an UPDATE, and a rolled-back erasure must not have lost them)."""
    from django.db import transaction

    model = apps.get_model(target.model)
    for name in target.files:
        storage = model._meta.get_field(name).storage
        paths = [
            path for path in model.objects.filter(pk__in=pks).values_list(name, flat=True) if path
        ]

        def delete(paths: list[str] = paths, storage: Any = storage) -> None:
            for path in paths:
                storage.delete(path)

        transaction.on_commit(delete)


def kept_in_person_erasure(kind: str) -> list[str]:
    """What a person's erasure keeps of this kind because it is the whole case's, not theirs."""
    return sorted(
        {
            apps.get_model(t.model)._meta.verbose_name_plural
            for t in TARGETS
            if t.kind == kind and t.person_path is None
        }
    )
