"""SEND steps in "what is next" for the team, and in "Action needed" for the family.

Worked out from the SEND record, not the stage: the preliminary record first, then the family's
choice, the arranging clock, attendees, preparation (views, permission), the meeting's terms,
the outcome within 24 hours, each LA action and the certificate.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.cases.progress import NextStep, PartyAction, register_next_steps, register_party_actions
from accord.send import part  # noqa: F401  (the part must exist first)
from accord.send.models import FamilyChoice, SendAction, SendAttendee, SendCertificate, SendRecord


def send_steps(case: Case) -> list[NextStep]:
    """What the case team does next on a SEND case."""
    if case.is_closed:
        return []
    url = reverse("send:case", kwargs={"case_pk": case.pk})
    record = SendRecord.objects.filter(case=case).first()
    if record is None:
        return [
            NextStep(
                "Record the local authority decision, the child or young person and the issues.",
                "send",
                reverse("send:preliminary", kwargs={"case_pk": case.pk}),
            )
        ]
    steps: list[NextStep] = []
    certificates = set(SendCertificate.objects.filter(case=case).values_list("kind", flat=True))
    if not record.family_choice:
        steps.append(
            NextStep(
                "Record whether the family wants mediation after mediation advice.",
                "send",
                reverse("send:choice", kwargs={"case_pk": case.pk}),
            )
        )
        return steps
    if record.family_choice == FamilyChoice.DECLINED:
        if record.certificate_needed and "no_mediation" not in certificates:
            steps.append(
                NextStep(
                    "Issue the mediation adviser's certificate within 3 working days.",
                    "send",
                    url,
                    urgent=True,
                )
            )
        return steps
    if record.not_arranged_at and record.certificate_needed and not certificates:
        steps.append(
            NextStep(
                "Issue the certificate: mediation could not be arranged within 30 days.",
                "send",
                url,
                urgent=True,
            )
        )
    if record.meeting_ended_at is None:
        if not SendAttendee.objects.filter(case=case).exists():
            steps.append(
                NextStep(
                    "Record who attends, with the local authority's authority to resolve.",
                    "send",
                    reverse("send:attendee", kwargs={"case_pk": case.pk}),
                )
            )
        if not record.views_representation:
            steps.append(
                NextStep(
                    "Record how the child's or young person's views will be represented.",
                    "send",
                    reverse("send:preparation", kwargs={"case_pk": case.pk}),
                )
            )
        from accord.send.services import permission_needed

        if permission_needed(record):
            steps.append(
                NextStep(
                    "Get the young person's written permission before the meeting.",
                    "send",
                    reverse("send:permission", kwargs={"case_pk": case.pk}),
                )
            )
        return steps
    if record.outcome_issued_at is None:
        steps.append(
            NextStep(
                "Issue the Mediation Outcome to everyone within 24 hours of the meeting.",
                "send",
                reverse("send:outcome", kwargs={"case_pk": case.pk}),
                urgent=True,
            )
        )
    elif record.certificate_needed and "after_mediation" not in certificates:
        steps.append(
            NextStep(
                "Issue the mediator's certificate within 3 working days.", "send", url, urgent=True
            )
        )
    now = timezone.now()
    for action in SendAction.objects.filter(case=case, done_at__isnull=True, due_at__isnull=False):
        late = action.due_at is not None and action.due_at < now
        steps.append(
            NextStep(
                f"Check the {action.get_owner_display().lower()} has done: "
                f"{action.description[:80]}",
                "send",
                url,
                urgent=late,
            )
        )
    return steps


def send_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The family's own action: choosing whether to mediate; and the appeal deadline once set."""
    if participant.role not in ("parent_carer", "young_person"):
        return []
    record = SendRecord.objects.filter(case=case).first()
    if record is None:
        return []
    if not record.family_choice:
        return [
            PartyAction("Tell your mediation adviser whether you want to try mediation.", "send")
        ]
    certificate = SendCertificate.objects.filter(case=case).order_by("-issued_at").first()
    if certificate is not None:
        day = certificate.appeal_deadline
        return [
            PartyAction(
                f"If you want to appeal to the SEND Tribunal, do so by {day.day} {day:%B %Y}.",
                "send",
            )
        ]
    return []


register_next_steps("send", send_steps)
register_party_actions("send", send_actions)
