"""The children demo story loads through the services and shows every part."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accord.cases.models import Case
from accord.children.models import CareSchedule, ChildOffer, OfferStatus
from accord.demo.data import demo_load
from accord.outcomes.models import OutcomeDraft

pytestmark = pytest.mark.django_db


def test_the_children_story_is_in_the_demo():
    demo_load()
    case = Case.objects.get(title="Hughes / Brennan")
    offer = ChildOffer.objects.get(case=case)
    assert offer.status == OfferStatus.CONSENTED and offer.starts_at is not None
    assert CareSchedule.objects.filter(case=case).count() == 2
    plan = OutcomeDraft.objects.get(case=case, kind="parenting_plan")
    assert plan.status == "issued"
    client = Client()
    assert case.lead_mediator is not None
    client.force_login(case.lead_mediator)
    first, second = CareSchedule.objects.filter(case=case).order_by("id")
    url = reverse("children:compare", args=[case.pk]) + f"?a={first.pk}&b={second.pk}"
    assert client.get(url).status_code == 200
    assert client.get(reverse("children:case", args=[case.pk])).status_code == 200
    parent = case.participants.get(full_name="Claire Hughes").user
    assert parent is not None
    client.force_login(parent)
    assert (
        b"Hearing your children" in client.get(reverse("children:portal", args=[case.pk])).content
    )
