"""Funding per party: legal aid, the Family Mediation Voucher, private fees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.audit.services import audit_record
from accord.cases.models import Case, Participant
from accord.cases.progress import ensure_part_applies
from accord.core.errors import ValidationFailed
from accord.meetings.models import (
    Funding,
    FundingKind,
    LegalAidBasis,
    LegalAidOutcome,
    VoucherLimit,
)
from accord.meetings.services.common import locked_case

# Funding

CHILD_ARRANGEMENTS_KINDS = frozenset({"family_children", "family_all"})


def voucher_limit_on(day: dt.date) -> Decimal | None:
    """The voucher's maximum per case in force on a day, or None before the scheme."""
    rule = VoucherLimit.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return rule.max_per_case if rule else None


@transaction.atomic
def funding_record(
    *,
    actor: Any,
    participant: Participant,
    kind: str,
    legal_aid_basis: str = "",
    legal_aid_outcome: str = "",
    voucher_amount: Decimal | None = None,
) -> Funding:
    """Record how a party is funded; legal aid for one party funds the others' MIAM and session."""
    case = locked_case(actor, participant.case, "change")
    ensure_part_applies(case, "funding")
    participant = Participant.objects.get(pk=participant.pk)
    errors: dict[str, list[str]] = {}
    if not participant.is_party:
        errors["participant"] = ["Funding is recorded for the parties only."]
    if kind not in FundingKind.values:
        errors["kind"] = ["Choose legal aid, the Family Mediation Voucher or private fees."]
    if kind == FundingKind.LEGAL_AID:
        if legal_aid_basis not in LegalAidBasis.values:
            errors["legal_aid_basis"] = ["Choose passported or means-assessed."]
        if legal_aid_outcome not in LegalAidOutcome.values:
            errors["legal_aid_outcome"] = ["Choose eligible, not eligible or pending."]
    elif legal_aid_basis or legal_aid_outcome:
        errors["legal_aid_outcome"] = ["A legal aid outcome belongs only to legal aid funding."]
    if kind == FundingKind.VOUCHER:
        _check_voucher(errors, case, participant, voucher_amount)
    elif voucher_amount is not None:
        errors["voucher_amount"] = ["A voucher amount belongs only to voucher funding."]
    if errors:
        raise ValidationFailed("The funding could not be recorded.", field_errors=errors)
    funding = Funding.objects.select_for_update().filter(participant=participant).first()
    if funding is None:
        funding = Funding(organisation_id=case.organisation_id, case=case, participant=participant)
    funding.kind = kind
    funding.legal_aid_basis = legal_aid_basis if kind == FundingKind.LEGAL_AID else ""
    funding.legal_aid_outcome = legal_aid_outcome if kind == FundingKind.LEGAL_AID else ""
    funding.voucher_amount = voucher_amount if kind == FundingKind.VOUCHER else None
    funding.recorded_by = actor
    funding.save()
    funded_others: list[int] = []
    if kind == FundingKind.LEGAL_AID and legal_aid_outcome == LegalAidOutcome.ELIGIBLE:
        funded_others = _fund_other_parties(case, participant, actor)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="funding.recorded",
        target=funding,
        case_id=case.pk,
        details={
            "participant_id": participant.pk,
            "kind": kind,
            "legal_aid_outcome": funding.legal_aid_outcome,
            "voucher_amount": str(funding.voucher_amount or ""),
            "funded_other_participant_ids": funded_others,
        },
    )
    return funding


def _check_voucher(
    errors: dict[str, list[str]], case: Case, participant: Participant, amount: Any
) -> None:
    if case.kind not in CHILD_ARRANGEMENTS_KINDS:
        errors["kind"] = [
            "The Family Mediation Voucher needs the case to include a child arrangements issue."
        ]
        return
    if not isinstance(amount, Decimal) or not amount.is_finite():
        errors["voucher_amount"] = ["Enter the voucher amount in pounds and pence, such as 500.00."]
        return
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        errors["voucher_amount"] = ["Enter a positive amount in pounds and pence, such as 500.00."]
        return
    limit = voucher_limit_on(timezone.localdate())
    if limit is None:
        errors["voucher_amount"] = ["No Family Mediation Voucher limit is in force today."]
        return
    if (
        Funding.objects.filter(case=case, kind=FundingKind.VOUCHER)
        .exclude(participant=participant)
        .exists()
    ):
        errors["kind"] = ["Only one Family Mediation Voucher can be used per family (case)."]
    elif amount > limit:
        errors["voucher_amount"] = [
            f"The voucher pays up to £{limit:,.2f} per case, and does not cover the MIAM."
        ]


def _fund_other_parties(case: Case, eligible: Participant, actor: Any) -> list[int]:
    """Mark every other party's MIAM and first session as funded through the legal aid."""
    funded = []
    for other in case.participants.exclude(pk=eligible.pk):
        if not other.is_party:
            continue
        funding, _ = Funding.objects.get_or_create(
            participant=other,
            defaults={
                "organisation_id": case.organisation_id,
                "case": case,
                "kind": FundingKind.NOT_YET_KNOWN,
                "recorded_by": actor,
            },
        )
        if not funding.miam_and_first_session_funded:
            funding.miam_and_first_session_funded = True
            funding.save(update_fields=["miam_and_first_session_funded", "updated_at"])
        funded.append(other.pk)
    return funded
