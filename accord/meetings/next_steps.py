"""MIAMs, screening, suitability and certificates in "what is next", from the case's records.

Screening steps name the screening, so they are `restricted` (case team with restricted access
only). Parties are told of their own MIAMs, never of screening or the suitability decision.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accord.cases.models import Case, Participant
from accord.cases.progress import (
    NextStep,
    PartyAction,
    reached,
    register_next_steps,
    register_party_actions,
    when_in_words,
)
from accord.meetings.models import (
    MeetingMode,
    Miam,
    MiamCertificate,
    MiamStatus,
    Screening,
    SuitabilityDecision,
    SuitabilityRoute,
)


def _parties(case: Case) -> list[Participant]:
    return [p for p in case.participants.order_by("id") if p.is_party]


def _miams(case: Case) -> list[Miam]:
    return list(
        Miam.objects.filter(case=case)
        .exclude(status=MiamStatus.CANCELLED)
        .prefetch_related("attendees")
        .order_by("starts_at", "id")
    )


def _held_by_party(case: Case) -> dict[int, Miam]:
    held: dict[int, Miam] = {}
    for miam in _miams(case):
        if miam.status == MiamStatus.HELD:
            for person in miam.attendees.all():
                held.setdefault(person.pk, miam)
    return held


def _not_willing_yet(case: Case, participant: Participant) -> bool:
    """The party was invited and has not (yet) said they are willing to attend a MIAM."""
    from accord.willingness.models import InvitationStatus, WillingnessInvitation

    latest = (
        WillingnessInvitation.objects.filter(case=case, participant=participant)
        .order_by("-sent_at", "-id")
        .first()
    )
    return latest is not None and latest.status != InvitationStatus.WILLING


def miam_steps(case: Case) -> list[NextStep]:
    """Book a MIAM for each party without one; record as held each MIAM whose time has passed."""
    if reached(case, "suitability"):
        return []
    steps: list[NextStep] = []
    miams = _miams(case)
    now = timezone.now()
    booked_or_held = {
        p.pk for m in miams if m.status != MiamStatus.DID_NOT_ATTEND for p in m.attendees.all()
    }
    for miam in miams:
        if miam.status == MiamStatus.BOOKED and miam.starts_at <= now:
            names = " and ".join(p.full_name for p in miam.attendees.all())
            steps.append(
                NextStep(
                    f"Record the MIAM with {names} on {when_in_words(miam.starts_at)} as held "
                    "(or not attended).",
                    "miam",
                    reverse("meetings:held", kwargs={"case_pk": case.pk, "miam_pk": miam.pk}),
                )
            )
    book = reverse("meetings:book", kwargs={"case_pk": case.pk})
    missed = {
        p.pk: m for m in miams if m.status == MiamStatus.DID_NOT_ATTEND for p in m.attendees.all()
    }
    for party in _parties(case):
        if party.pk not in booked_or_held and not _not_willing_yet(case, party):
            if party.pk in missed:
                text = (
                    f"Rebook a MIAM for {party.full_name}, who did not attend on "
                    f"{when_in_words(missed[party.pk].starts_at)}."
                )
            else:
                text = f"Book a MIAM for {party.full_name}."
            steps.append(NextStep(text, "miam", book))
    return steps


def screening_steps(case: Case) -> list[NextStep]:
    """Record each party's screening at their held MIAM (restricted: it names the screening)."""
    steps: list[NextStep] = []
    done = set(Screening.objects.filter(case=case).values_list("miam_id", "participant_id"))
    for miam in _miams(case):
        if miam.status != MiamStatus.HELD:
            continue
        for person in miam.attendees.all():
            if person.is_party and (miam.pk, person.pk) not in done:
                steps.append(
                    NextStep(
                        f"Record {person.full_name}'s screening from their MIAM.",
                        "screening",
                        reverse(
                            "meetings:screening",
                            kwargs={
                                "case_pk": case.pk,
                                "miam_pk": miam.pk,
                                "participant_pk": person.pk,
                            },
                        ),
                        restricted=True,
                    )
                )
    return steps


def suitability_steps(case: Case) -> list[NextStep]:
    """Decide suitability once every party has had their MIAM (family) or at the suitability
    stage (other kinds); a decision of "not suitable" asks for the case to be closed."""
    decision = SuitabilityDecision.objects.filter(case=case).first()
    url = reverse("meetings:suitability", kwargs={"case_pk": case.pk})
    if decision is not None:
        if decision.route == SuitabilityRoute.NOT_SUITABLE:
            return [
                NextStep(
                    "Mediation is not suitable: tell the parties and close the case.",
                    "suitability",
                    reverse("cases:move_stage", kwargs={"pk": case.pk}),
                )
            ]
        return []
    if reached(case, "agreement"):
        return []
    if case.workflow.has_stage("miam"):
        parties = _parties(case)
        held = _held_by_party(case)
        if not parties or any(p.pk not in held for p in parties):
            return []
    elif case.stage != "suitability":
        return []
    return [NextStep("Decide suitability: joint, shuttle or not suitable.", "suitability", url)]


def certificate_steps(case: Case) -> list[NextStep]:
    """Issue a MIAM certificate to each party who met a mediator when mediation will not go
    ahead (not suitable, or the other party not engaging): they need it to apply to court."""
    from accord.willingness.selectors import willingness_state

    decision = SuitabilityDecision.objects.filter(case=case).first()
    stopped = (
        decision is not None and decision.route == SuitabilityRoute.NOT_SUITABLE
    ) or willingness_state(case).not_engaging
    if not stopped:
        return []
    issued = set(MiamCertificate.objects.filter(case=case).values_list("party_id", flat=True))
    steps = []
    for party_pk, miam in _held_by_party(case).items():
        person = next(p for p in miam.attendees.all() if p.pk == party_pk)
        if person.is_party and party_pk not in issued:
            steps.append(
                NextStep(
                    f"Issue {person.full_name}'s MIAM certificate if they need it for court.",
                    "miam_certificate",
                    reverse(
                        "meetings:certificate",
                        kwargs={"case_pk": case.pk, "miam_pk": miam.pk, "participant_pk": party_pk},
                    ),
                )
            )
    return steps


def miam_actions(case: Case, participant: Participant) -> list[PartyAction]:
    """The party's own MIAMs still to come, in plain words."""
    upcoming = Miam.objects.filter(
        case=case, attendees=participant, status=MiamStatus.BOOKED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    actions = []
    for miam in upcoming:
        if miam.mode == MeetingMode.IN_PERSON:
            how = f" at {miam.place}" if miam.place else " in person"
        else:
            how = f" ({miam.get_mode_display().lower()})"
        actions.append(
            PartyAction(
                f"Your MIAM is on {when_in_words(miam.starts_at)}{how}.",
                "miam",
                reverse("portal:case", kwargs={"pk": case.pk}) + "#miams-heading",
            )
        )
    return actions


register_next_steps("miam", miam_steps)
register_next_steps("screening", screening_steps)
register_next_steps("suitability", suitability_steps)
register_next_steps("miam_certificate", certificate_steps)
register_party_actions("miam", miam_actions)
