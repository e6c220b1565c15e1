"""Financial disclosure (DOMAIN.md section 7): items by Form E part, their evidence, and sharing.

Each party of a family finance or all-issues case has one `Disclosure`: the items they disclose
(property, accounts, pensions, income, outgoings...), each with an owner (party A, party B or
joint with shares), a value in pence, a valuation date and a note. The mediators see both parties'
disclosures; a party sees their own, and the other party's only as it was when it was shared
(`shared_items`, a snapshot), with later changes marked. Evidence is uploaded against an item and
marked seen by a mediator. What evidence each part needs is dated data (`EvidenceRequirement`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.models import TimeStampedModel


class FormEPart(models.TextChoices):
    """The parts of Form E a party discloses under (DOMAIN.md section 7), in form order."""

    PROPERTY = "property", "Family home and other property"
    ACCOUNTS = "accounts", "Bank and building society accounts"
    INVESTMENTS = "investments", "Investments"
    POLICIES = "policies", "Life insurance and endowment policies"
    MONEY_OWED = "money_owed", "Money owed to you"
    CASH = "cash", "Cash and valuables"
    LIABILITIES = "liabilities", "Liabilities (debts)"
    BUSINESS = "business", "Business interests"
    PENSIONS = "pensions", "Pensions"
    OTHER_ASSETS = "other_assets", "Other assets"
    HELD_FOR_OTHERS = "held_for_others", "Assets held for someone else"
    INCOME = "income", "Income (net, per year)"
    OUTGOINGS = "outgoings", "Monthly outgoings"
    CAPITAL_NEEDS = "capital_needs", "Capital needs"


#: Parts whose items are capital the parties own (pensions are kept apart, as practitioners do).
CAPITAL_PARTS = frozenset(
    {"property", "accounts", "investments", "policies", "money_owed", "cash", "business"}
    | {"other_assets"}
)
DEBT_PARTS = frozenset({"liabilities"})


class Owner(models.TextChoices):
    """Who owns an item: party A, party B (the case's first and second parties) or both."""

    A = "a", "Party A"
    B = "b", "Party B"
    JOINT = "joint", "Joint"


class EvidenceRequirement(TimeStampedModel):
    """Dated data: the evidence a Form E part needs, nationally or for one service.

    The row in force for a part is the latest whose `effective_from` is on or before the day, a
    service's own row before the national one (organisation empty). A change is a new row.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    part = models.CharField(max_length=24, choices=FormEPart.choices)
    evidence = models.CharField(max_length=300, help_text="What to upload, in plain words.")
    effective_from = models.DateField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["part", "organisation_id", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__in=FormEPart.values), name="finance_requirement_part_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "part", "effective_from"],
                condition=Q(organisation__isnull=False),
                name="finance_requirement_unique_in_service",
            ),
            models.UniqueConstraint(
                fields=["part", "effective_from"],
                condition=Q(organisation__isnull=True),
                name="finance_requirement_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence for {self.part} from {self.effective_from:%d %B %Y}"


class Disclosure(TimeStampedModel):
    """One party's financial disclosure on a case."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosures")
    participant = models.ForeignKey(
        "cases.Participant", on_delete=models.RESTRICT, related_name="disclosures"
    )
    #: The Form E parts the party has said are complete (codes of `FormEPart`).
    parts_completed = models.JSONField(default=list, blank=True)
    #: When the party last shared it with the other party, and what they shared then.
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["case_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "participant"], name="finance_one_disclosure_per_party"
            )
        ]

    def __str__(self) -> str:
        # Audit labels use this: no names, no figures.
        return f"Disclosure {self.pk} on case {self.case_id}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class DisclosureItem(TimeStampedModel):
    """One asset, debt, pension, income or outgoing in a party's disclosure."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    part = models.CharField(max_length=24, choices=FormEPart.choices)
    description = models.CharField(max_length=200)
    owner = models.CharField(max_length=8, choices=Owner.choices)
    #: Party A's share of a jointly owned item, in per cent (0 to 100); B has the rest.
    share_a_percent = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    value_pence = models.BigIntegerField()
    #: Income only: the same income before tax, per year, in pence (empty if not given). The
    #: child maintenance estimate (2012 scheme) works on gross weekly income, from this.
    gross_pence = models.BigIntegerField(null=True, blank=True)
    valuation_date = models.DateField()
    note = models.TextField(blank=True)
    #: Changed each time the item changes, to tell what changed after sharing.
    version = models.PositiveIntegerField(default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Whether a mediator entered or last corrected it for the party.
    by_mediator = models.BooleanField(default=False)

    class Meta:
        ordering = ["disclosure_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__in=FormEPart.values), name="finance_item_part_valid"
            ),
            models.CheckConstraint(
                condition=Q(owner__in=Owner.values), name="finance_item_owner_valid"
            ),
            models.CheckConstraint(
                condition=Q(value_pence__gte=0), name="finance_item_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(share_a_percent__gte=0, share_a_percent__lte=100),
                name="finance_item_share_range",
            ),
            models.CheckConstraint(
                condition=Q(gross_pence__isnull=True) | Q(part="income", gross_pence__gte=0),
                name="finance_item_gross_income_only",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure item {self.pk} of disclosure {self.disclosure_id}"


class Evidence(models.Model):
    """A document uploaded against an item (checked as rooms attachments are)."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="evidence")
    content = models.FileField(max_length=300)
    file_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item_id", "id"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} of item {self.item_id}"


class ScenarioAudience(models.TextChoices):
    """Who a scenario is shown to besides the mediators."""

    NOBODY = "", "The mediators only"
    JOINT = "joint", "Both parties (joint room)"
    PRIVATE = "private", "One party privately"


class Scenario(TimeStampedModel):
    """A proposal with figures: who keeps what, sales, lump sums, pension sharing, maintenance.

    Built on the shared disclosures (open information both parties have seen). Proposals are
    privileged: the mediators see every scenario; a party only those shared with them.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=120)
    #: Shared item id (as text) to party A's share of it in per cent ("0" to "100").
    allocations = models.JSONField(default=dict, blank=True)
    #: Shared item ids of assets sold, their proceeds split by the same shares.
    sold = models.JSONField(default=list, blank=True)
    #: A lump sum from party A to party B (negative: B pays A), in pence.
    lump_sum_pence = models.BigIntegerField(default=0)
    #: Party A's share of all pensions after pension sharing, in per cent; empty: as owned.
    pension_share_a_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    #: Maintenance from party A to party B each month (negative: B pays A), in pence.
    maintenance_pence = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        max_length=8, choices=ScenarioAudience.choices, default="", blank=True
    )
    shared_with = models.ForeignKey(
        "cases.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=ScenarioAudience.values), name="finance_audience_valid"
            ),
            models.CheckConstraint(
                condition=~Q(audience="private") | Q(shared_with__isnull=False),
                name="finance_private_scenario_has_party",
            ),
        ]

    def __str__(self) -> str:
        return f"Scenario {self.pk} on case {self.case_id}"


class FinanceSettings(models.Model):
    """A service's settings for the finance part: how many points each party spreads."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rating_points = models.PositiveIntegerField(default=100)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_points__in=[100, 1000]), name="finance_rating_points_valid"
            )
        ]

    def __str__(self) -> str:
        return f"Finance settings of organisation {self.organisation_id}"


class Rating(models.Model):
    """A party's private points for one shared item (mediators and the party only)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey("cases.Participant", on_delete=models.CASCADE, related_name="+")
    #: The shared item's id, as text (the items both parties saw).
    item_key = models.CharField(max_length=20)
    points = models.PositiveIntegerField()
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["case_id", "participant_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "participant", "item_key"], name="finance_rate_item_once"
            )
        ]

    def __str__(self) -> str:
        return f"Rating {self.pk} on case {self.case_id}"


class ConsentPackDelivery(models.Model):
    """When the consent-order pack went to a party's solicitor (recorded by the case team)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("cases.Participant", on_delete=models.RESTRICT, related_name="+")
    solicitor = models.CharField(max_length=200)
    sent_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case_id", "sent_on", "id"]

    def __str__(self) -> str:
        return f"Consent pack delivery {self.pk} on case {self.case_id}"
