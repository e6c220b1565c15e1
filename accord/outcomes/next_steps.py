"""Written outcomes in "what is next": draft, approval, issue, share; parties read what they get."""

from __future__ import annotations

from django.urls import reverse

from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
)
from accord.outcomes.models import OutcomeDraft, OutcomeStatus


def _mediation_ended_agreed(case: Case) -> bool:
    from accord.mediation.models import AGREED, MediationState, MediationStatus

    return MediationStatus.objects.filter(
        case=case, state=MediationState.ENDED, end_reason__in=AGREED
    ).exists()


def outcome_steps(case: Case) -> list[NextStep]:
    """Each live outcome's next step; a case at its outcome stage without one is asked to draft."""
    from accord.agreements.selectors import packet_status
    from accord.documents.models import DocumentShare

    drafts = list(
        OutcomeDraft.objects.filter(case=case)
        .exclude(status=OutcomeStatus.WITHDRAWN)
        .select_related("signing_packet")
        .order_by("created_at", "id")
    )
    if not drafts:
        if reached(case, "outcome") or _mediation_ended_agreed(case):
            return [
                NextStep(
                    "Draft the written outcome of the mediation.",
                    "outcomes",
                    reverse("outcomes:create", kwargs={"case_pk": case.pk}),
                )
            ]
        return []
    steps: list[NextStep] = []
    for draft in drafts:
        kind = draft.get_kind_display()
        detail = reverse("outcomes:detail", kwargs={"case_pk": case.pk, "pk": draft.pk})
        if draft.status == OutcomeStatus.DRAFT:
            steps.append(NextStep(f"Finish the draft {kind} and issue it.", "outcomes", detail))
        elif draft.status == OutcomeStatus.AWAITING_APPROVAL:
            steps.append(
                NextStep(f"The {kind} is awaiting the supervisor's approval.", "outcomes", detail)
            )
        elif draft.status == OutcomeStatus.APPROVED:
            steps.append(NextStep(f"The {kind} is approved: issue it.", "outcomes", detail))
        elif draft.status == OutcomeStatus.ISSUED:
            if not DocumentShare.objects.filter(version_id=draft.issued_version_id).exists():
                steps.append(
                    NextStep(
                        f"Share the issued {kind} with the parties.",
                        "outcomes",
                        reverse("outcomes:share", kwargs={"case_pk": case.pk, "pk": draft.pk}),
                    )
                )
            packet = draft.signing_packet
            if packet is not None and packet.status == "open":
                unsigned = packet_status(packet).unsigned
                if unsigned:
                    names = ", ".join(p.full_name for p in unsigned)
                    steps.append(
                        NextStep(f"Waiting for {names} to sign the {kind}.", "outcomes", detail)
                    )
    return steps


def outcome_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """Issued outcomes shared with this party that they have not opened yet."""
    from accord.documents.models import DocumentShare

    issued = {
        draft.issued_version_id: draft
        for draft in OutcomeDraft.objects.filter(case=case, status=OutcomeStatus.ISSUED)
    }
    unread = DocumentShare.objects.filter(
        participant=participant, version_id__in=list(issued), first_opened_at__isnull=True
    ).order_by("shared_at", "id")
    return [
        PartyAction(
            f"Read the {issued[share.version_id].get_kind_display()}.",
            "outcomes",
            reverse("documents:download", kwargs={"version_id": share.version_id}),
        )
        for share in unread
    ]


register_next_steps("outcomes", outcome_steps)
register_party_actions("outcomes", outcome_actions)
