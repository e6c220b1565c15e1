"""The agenda of a mediation: topics the parties raise, their progress, options and agreed wording.

Everything here is joint material: every party of the case sees the agenda (DOMAIN.md section 3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.agenda import transitions
from accord.core.models import TimeStampedModel


class AgendaTopic(models.TextChoices):
    """What an item is about: the case issues (child maintenance counts as a children issue)."""

    CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements"
    CHILD_MAINTENANCE = "child_maintenance", "Child maintenance"
    FINANCES = "finances", "Finances"
    PROPERTY = "property", "Property"
    OTHER = "other", "Something else"


CHILDREN_TOPICS = frozenset({AgendaTopic.CHILD_ARRANGEMENTS, AgendaTopic.CHILD_MAINTENANCE})


class AgendaStatus(models.TextChoices):
    """Where an item stands; the moves between them are in `transitions`."""

    OPEN = transitions.OPEN, "Open"
    EXPLORING = transitions.EXPLORING, "Exploring"
    OPTIONS = transitions.OPTIONS, "Options"
    PROPOSAL = transitions.PROPOSAL, "Proposal"
    AGREED = transitions.AGREED, "Agreed"
    NOT_AGREED = transitions.NOT_AGREED, "Not agreed"
    PARKED = transitions.PARKED, "Parked"


def _one_proposer(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(proposed_by_participant__isnull=False, proposed_by_user__isnull=True)
            | models.Q(proposed_by_participant__isnull=True, proposed_by_user__isnull=False)
        ),
        name=f"{prefix}_one_proposer",
    )


class AgendaItem(TimeStampedModel):
    """One topic on a case's agenda: the issue, the proposer's view and hopes, and its progress."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="agenda_items"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=24, choices=AgendaTopic.choices)
    # A party proposes through the portal; a mediator may add a topic on the parties' behalf.
    proposed_by_participant = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issue = models.TextField(help_text="What the issue is.")
    view = models.TextField(blank=True, help_text="How the person who raised it sees it.")
    hopes = models.TextField(blank=True, help_text="What they hope for.")
    position = models.PositiveIntegerField(help_text="Order on the agenda, set by the mediator.")
    status = models.CharField(
        max_length=12, choices=AgendaStatus.choices, default=AgendaStatus.OPEN
    )
    agreed_wording = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    touches_children = models.BooleanField(
        default=False, help_text="About the children: its wording goes into the parenting plan."
    )

    class Meta:
        ordering = ["case_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AgendaStatus.values), name="agenda_item_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(topic__in=AgendaTopic.values), name="agenda_item_topic_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AgendaStatus.AGREED) | ~models.Q(agreed_wording=""),
                name="agenda_item_agreed_has_wording",
            ),
            _one_proposer("agenda_item"),
        ]

    def __str__(self) -> str:
        # Audit labels use this: no titles or names, which may be private to the case.
        return f"Agenda item {self.pk} on case {self.case_id}"

    @property
    def accepts_options(self) -> bool:
        """Options can be added while the item is still being worked on."""
        return self.status not in (
            AgendaStatus.AGREED,
            AgendaStatus.NOT_AGREED,
            AgendaStatus.PARKED,
        )

    @property
    def proposer_name(self) -> str:
        """Who raised the topic, as the agenda shows it."""
        if self.proposed_by_participant_id:
            return str(self.proposed_by_participant.full_name)  # type: ignore[union-attr]
        return "The mediator"


class AgendaItemEvent(models.Model):
    """One step in an item's history: proposed, or moved from one status to another."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=AgendaStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    wording = models.TextField(blank=True, help_text="The wording agreed, on a move to agreed.")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_status__in=AgendaStatus.values),
                name="agenda_event_to_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(from_status="") | models.Q(from_status__in=AgendaStatus.values),
                name="agenda_event_from_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.item_id}: {self.from_status or 'new'} to {self.to_status}"

    @property
    def from_label(self) -> str:
        return AgendaStatus(self.from_status).label if self.from_status else "Proposed"

    @property
    def to_label(self) -> str:
        return AgendaStatus(self.to_status).label


class AgendaOption(TimeStampedModel):
    """An option for settling an item, and who offered it.

    A mediator may offer ideas only with the parties' permission (DOMAIN.md 2.1 step 7), so an
    option proposed by a mediator is always a mediator's idea recorded as given with permission.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="options")
    text = models.TextField()
    proposed_by_participant = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mediator_idea = models.BooleanField(default=False)
    with_permission = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            _one_proposer("agenda_option"),
            models.CheckConstraint(
                condition=models.Q(proposed_by_user__isnull=True)
                | models.Q(mediator_idea=True, with_permission=True),
                name="agenda_option_mediator_idea_with_permission",
            ),
            models.CheckConstraint(
                condition=models.Q(mediator_idea=False) | models.Q(proposed_by_user__isnull=False),
                name="agenda_option_idea_is_mediators",
            ),
        ]

    def __str__(self) -> str:
        return f"Option {self.pk} on agenda item {self.item_id}"

    @property
    def proposer_name(self) -> str:
        """Who offered the option, as the agenda shows it."""
        if self.proposed_by_participant_id:
            return str(self.proposed_by_participant.full_name)  # type: ignore[union-attr]
        return "The mediator (with the parties' permission)"


class AgendaPriority(TimeStampedModel):
    """How much one party cares about one item, from 1 (low) to 5 (high)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="priorities")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.CASCADE, related_name="agenda_priorities"
    )
    priority = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["item_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant"], name="agenda_priority_one_per_party"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5),
                name="agenda_priority_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Priority on agenda item {self.item_id}"


class ProposalAnswer(models.TextChoices):
    """How another party answers a proposal."""

    ACCEPT = "accept", "Accepted"
    REJECT = "reject", "Rejected"
    COUNTER = "counter", "Countered"


class AgendaProposal(TimeStampedModel):
    """A proposal for settling an agenda item, made by a party or for them by a mediator.

    In shuttle cases it reaches the other parties only once a mediator relays it: they then see
    `relayed_text`, never the original words. A counter-proposal names the proposal it answers.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="proposals")
    #: The party whose proposal it is (the mediator may put it for them, with permission).
    party = models.ForeignKey("cases.Participant", on_delete=models.RESTRICT, related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_mediator = models.BooleanField(default=False)
    with_permission = models.BooleanField(default=False)
    text = models.TextField()
    counter_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="counters"
    )
    #: Whether it goes privately through the mediator (the case's route was shuttle when made).
    shuttle = models.BooleanField(default=False)
    relayed_text = models.TextField(blank=True)
    relayed_at = models.DateTimeField(null=True, blank=True)
    relayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by_mediator=False) | models.Q(with_permission=True),
                name="agenda_proposal_mediator_with_permission",
            ),
            models.CheckConstraint(
                condition=models.Q(relayed_at__isnull=True) | ~models.Q(relayed_text=""),
                name="agenda_proposal_relay_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk} on agenda item {self.item_id}"

    @property
    def is_open(self) -> bool:
        """Still waiting for answers (not accepted, and not answered by a rejection or counter)."""
        return self.accepted_at is None and not any(
            a.answer != ProposalAnswer.ACCEPT for a in self.answers.all()
        )

    @property
    def wording_for_others(self) -> str:
        """What the other parties read: the relayed text in shuttle cases, else the proposal."""
        return self.relayed_text if self.shuttle else self.text


class AgendaProposalResponse(TimeStampedModel):
    """One other party's answer to a proposal: accept, reject, or counter (a new proposal)."""

    proposal = models.ForeignKey(AgendaProposal, on_delete=models.CASCADE, related_name="answers")
    party = models.ForeignKey("cases.Participant", on_delete=models.RESTRICT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(max_length=8, choices=ProposalAnswer.choices)
    counter = models.OneToOneField(
        AgendaProposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: Shuttle cases: when a mediator passed the answer back to the proposer.
    relayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "party"], name="agenda_proposal_one_answer_per_party"
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=ProposalAnswer.values),
                name="agenda_proposal_answer_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(answer="counter", counter__isnull=False)
                | (~models.Q(answer="counter") & models.Q(counter__isnull=True)),
                name="agenda_proposal_counter_has_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to proposal {self.proposal_id}"


class SessionPlanItem(TimeStampedModel):
    """One agenda item planned for a mediation session: its place, minutes and goal.

    The goal is the mediator's own (staff only); parties see the order of items.
    """

    session = models.ForeignKey(
        "mediation.MediationSession", on_delete=models.CASCADE, related_name="plan_items"
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="plan_rows")
    position = models.PositiveSmallIntegerField()
    minutes = models.PositiveSmallIntegerField()
    goal = models.TextField(blank=True)

    class Meta:
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "item"], name="session_plan_item_once"),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=480),
                name="session_plan_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan row {self.pk} of session {self.session_id}"
