"""A property-based proof that a party never sees the other party's disclosure unless shared,
and then only as it was shared (in the style of the rooms confidentiality test).

Hypothesis drives random sequences of items added (by a party, or by the mediator for them),
corrected and removed, and disclosures shared and shared again. Every description is a unique
marker, so finding one tells us exactly where it came from. After every step each party's view
is read three times, through the selectors the pages use, the API and the portal page, and
checked against a model of what they may see.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accord.finance import selectors, services
from accord.finance.models import DisclosureItem
from accord.finance.tests.conftest import open_finance_case

pytestmark = pytest.mark.django_db

PARTIES = ("a", "b")
_markers = itertools.count()


def _marker() -> str:
    return f"MARK{next(_markers):06d}Z"


class DisclosureMachine(RuleBasedStateMachine):
    """One fresh case per example, rolled back afterwards; a model of who may see what."""

    service: Any = None  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.fin = open_finance_case(self.service)
        self.party = {"a": self.fin.a, "b": self.fin.b}
        self.user = {"a": self.fin.a_user, "b": self.fin.b_user}
        #: party -> {item id: its marker now}
        self.live: dict[str, dict[int, str]] = {"a": {}, "b": {}}
        #: party -> the markers shared last time (None: never shared)
        self.shared: dict[str, set[str] | None] = {"a": None, "b": None}
        #: party -> every marker the party ever had
        self.ever: dict[str, set[str]] = {"a": set(), "b": set()}
        from accord.api.tests.conftest import token_client

        self.api = {p: token_client(self.user[p]) for p in PARTIES}
        self.web = {}
        for p in PARTIES:
            client = Client()
            client.force_login(self.user[p])
            self.web[p] = client

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)

    @rule(who=st.sampled_from(PARTIES), by_mediator=st.booleans(), pence=st.integers(0, 10**9))
    def add(self, who: str, by_mediator: bool, pence: int) -> None:
        marker = _marker()
        actor = self.service.mediator if by_mediator else self.user[who]
        item = services.disclosure_item_add(
            actor=actor,
            case=self.fin.case,
            participant=self.party[who],
            part="accounts",
            description=marker,
            owner=who,
            value_pence=pence,
            valuation_date=dt.date(2026, 1, 1),
        )
        self.live[who][item.pk] = marker
        self.ever[who].add(marker)

    @rule(who=st.sampled_from(PARTIES), pick=st.integers(0, 10))
    def change(self, who: str, pick: int) -> None:
        if not self.live[who]:
            return
        pk = sorted(self.live[who])[pick % len(self.live[who])]
        marker = _marker()
        services.disclosure_item_change(
            actor=self.user[who],
            item=DisclosureItem.objects.get(pk=pk),
            part="accounts",
            description=marker,
            owner="joint",
            share_a_percent="50",
            value_pence=1,
            valuation_date=dt.date(2026, 2, 1),
        )
        self.live[who][pk] = marker
        self.ever[who].add(marker)

    @rule(who=st.sampled_from(PARTIES), pick=st.integers(0, 10))
    def remove(self, who: str, pick: int) -> None:
        if not self.live[who]:
            return
        pk = sorted(self.live[who])[pick % len(self.live[who])]
        services.disclosure_item_remove(
            actor=self.user[who], item=DisclosureItem.objects.get(pk=pk)
        )
        del self.live[who][pk]

    @rule(who=st.sampled_from(PARTIES), by_mediator=st.booleans())
    def share(self, who: str, by_mediator: bool) -> None:
        if not self.live[who]:
            return
        actor = self.service.mediator if by_mediator else self.user[who]
        services.disclosure_share(actor=actor, case=self.fin.case, participant=self.party[who])
        self.shared[who] = set(self.live[who].values())

    @invariant()
    def each_party_sees_only_what_they_may(self) -> None:
        for reader, other in (("a", "b"), ("b", "a")):
            views = selectors.disclosures_for(user=self.user[reader], case=self.fin.case)
            own = [v for v in views if v.live]
            theirs = [v for v in views if not v.live]
            assert [v.participant.pk for v in own] == [self.party[reader].pk]
            assert {i.description for i in own[0].items} == set(self.live[reader].values())
            if self.shared[other] is None:
                assert theirs == []
            else:
                assert {i.description for i in theirs[0].items} == self.shared[other]
            allowed = self.shared[other] or set()
            hidden = self.ever[other] - allowed
            api_text = self.api[reader].get(f"/cases/{self.fin.case.pk}/disclosures").content
            page = self.web[reader].get(reverse("finance:portal", args=[self.fin.case.pk]))
            for text in (api_text.decode(), page.content.decode()):
                for marker in hidden:
                    assert marker not in text
                for marker in allowed:
                    assert marker in text


def test_no_party_ever_sees_unshared_disclosure(service):
    DisclosureMachine.service = service
    run_state_machine_as_test(
        DisclosureMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
