"""The legal aid means test: pure arithmetic over dated thresholds, the dated rows (national,
the service's own), and the assessment worked out from them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.cases.models import PARTY_ROLES, Participant
from accord.core.errors import NotPermitted, ValidationFailed
from accord.fees import means, services
from accord.fees.models import MeansAssessment, MeansThreshold
from accord.meetings.models import Funding

D = Decimal
LIMITS = means.Thresholds(
    gross_monthly_income=D("2657"),
    children_included=4,
    per_extra_child=D("222"),
    disposable_monthly_income=D("733"),
    disposable_capital=D("8000"),
)


# Pure arithmetic --------------------------------------------------------------------------


def test_passported_parties_are_tested_on_capital_only() -> None:
    ok = means.assess(LIMITS, passported=True, disposable_capital=D("8000.00"))
    assert ok.eligible and "income is not tested" in ok.reasons[0]
    over = means.assess(LIMITS, passported=True, disposable_capital=D("8000.01"))
    assert not over.eligible and "above the limit of £8,000.00" in over.reasons[-1]


@pytest.mark.parametrize(
    ("gross", "disposable", "capital", "children", "eligible"),
    [
        ("2657.00", "733.00", "0", 0, True),  # every figure at its limit passes
        ("2657.01", "100", "0", 0, False),  # gross income just over
        ("2700.00", "100", "0", 5, True),  # one child beyond four raises the limit by £222
        ("2879.01", "100", "0", 5, False),  # ...to £2,879.00 and no further
        ("1000", "733.01", "0", 0, False),  # disposable income just over
        ("1000", "100", "8000.01", 0, False),  # capital just over
    ],
)
def test_a_means_assessment_applies_every_limit(
    gross: str, disposable: str, capital: str, children: int, eligible: bool
) -> None:
    result = means.assess(
        LIMITS,
        passported=False,
        gross_monthly_income=D(gross),
        disposable_monthly_income=D(disposable),
        disposable_capital=D(capital),
        dependent_children=children,
    )
    assert result.eligible is eligible
    assert len(result.reasons) == 3


def test_the_pure_test_refuses_missing_or_negative_figures() -> None:
    with pytest.raises(means.MeansError, match="gross monthly income"):
        means.assess(LIMITS, passported=False, disposable_capital=D("0"))
    with pytest.raises(means.MeansError, match="negative"):
        means.assess(LIMITS, passported=True, disposable_capital=D("-1"))


# Dated rows and the service ----------------------------------------------------------------


@pytest.fixture
def parties(service: Any) -> tuple[Any, Participant, Participant]:
    case = service.case
    a, b = Participant.objects.filter(case=case, role__in=PARTY_ROLES).order_by("id")[:2]
    return case, a, b


def _assess(service: Any, who: Participant, **kw: Any) -> MeansAssessment:
    values: dict[str, Any] = {
        "evidence": "means_assessment",
        "assessed_on": timezone.localdate(),
        "evidence_note": "CIVMEANS7 completed with payslips for three months.",
        "gross_monthly_income": "2000.00",
        "disposable_monthly_income": "500.00",
        "disposable_capital": "3000.00",
    }
    values.update(kw)
    return services.means_assessment_record(actor=service.coordinator, participant=who, **values)


@pytest.mark.django_db
def test_the_national_thresholds_are_seeded_as_unconfirmed_dated_data(service: Any) -> None:
    row = services.means_threshold_in_force(service.organisation.pk, dt.date(2026, 1, 1))
    assert row is not None and row.organisation_id is None and not row.confirmed
    assert row.disposable_capital == D("8000.00") and row.effective_from == dt.date(2013, 4, 1)
    assert services.means_threshold_in_force(service.organisation.pk, dt.date(2013, 3, 31)) is None


@pytest.mark.django_db
def test_the_result_is_worked_out_from_the_thresholds_in_force(service: Any, parties: Any) -> None:
    _case, alice, bob = parties
    row = _assess(service, alice)
    assert row.eligible and row.threshold is not None and row.threshold.organisation_id is None
    assert Funding.objects.get(participant=alice).legal_aid_outcome == "eligible"
    poorer_test = _assess(service, bob, disposable_monthly_income="733.01")
    assert not poorer_test.eligible
    assert "above the limit of £733.00" in poorer_test.reasons[1]
    assert Funding.objects.get(participant=bob).legal_aid_outcome == "not_eligible"
    event = AuditEvent.objects.filter(action="fees.means_assessed").last()
    assert event is not None and event.details["threshold_id"] == row.threshold_id
    assert "2000" not in str(event.details)  # the party's figures stay out of the audit trail


@pytest.mark.django_db
def test_a_service_row_wins_from_its_date_and_old_assessments_keep_theirs(
    service: Any, parties: Any
) -> None:
    _case, alice, bob = parties
    today = timezone.localdate()
    before = _assess(service, alice, assessed_on=today - dt.timedelta(days=10))
    assert before.eligible
    services.means_threshold_add(
        actor=service.admin,
        organisation=service.organisation,
        effective_from=today - dt.timedelta(days=5),
        gross_monthly_income="2657.00",
        children_included=4,
        per_extra_child="222.00",
        disposable_monthly_income="400.00",
        disposable_capital="8000.00",
        source="LAA guidance checked by the service",
    )
    after = _assess(service, bob)
    assert not after.eligible and after.threshold is not None
    assert after.threshold.organisation_id == service.organisation.pk
    before.refresh_from_db()
    assert before.threshold is not None and before.threshold.organisation_id is None
    # Another service still uses the national figures.
    assert MeansThreshold.objects.filter(organisation__isnull=False).count() == 1


@pytest.mark.django_db
def test_bad_thresholds_and_non_admins_are_refused(service: Any) -> None:
    base: dict[str, Any] = {
        "organisation": service.organisation,
        "effective_from": timezone.localdate(),
        "gross_monthly_income": "2657.00",
        "children_included": 4,
        "per_extra_child": "222.00",
        "disposable_monthly_income": "733.00",
        "disposable_capital": "8000.00",
        "source": "Checked",
    }
    with pytest.raises(NotPermitted):
        services.means_threshold_add(actor=service.coordinator, **base)
    with pytest.raises(ValidationFailed) as exc:
        services.means_threshold_add(
            actor=service.admin, **{**base, "disposable_capital": "-5", "source": ""}
        )
    assert set(exc.value.field_errors) == {"disposable_capital", "source"}
    assert not MeansThreshold.objects.filter(organisation=service.organisation).exists()


@pytest.mark.django_db
def test_bad_assessment_figures_save_nothing(service: Any, parties: Any) -> None:
    _case, alice, _ = parties
    with pytest.raises(ValidationFailed) as exc:
        _assess(service, alice, gross_monthly_income="", disposable_capital="lots")
    assert set(exc.value.field_errors) == {"gross_monthly_income", "disposable_capital"}
    with pytest.raises(ValidationFailed) as exc:
        _assess(
            service,
            alice,
            evidence="passported",
            benefit="universal_credit",
            gross_monthly_income="100.00",
        )
    assert "not tested for a passported party" in str(exc.value.field_errors)
    with pytest.raises(ValidationFailed) as exc:
        _assess(service, alice, assessed_on=dt.date(2012, 1, 1))
    assert "No legal aid thresholds" in str(exc.value.field_errors["assessed_on"])
    assert not MeansAssessment.objects.exists() and not Funding.objects.exists()


@pytest.mark.django_db
def test_the_pages_show_and_use_the_thresholds(service: Any, parties: Any) -> None:
    case, alice, _ = parties
    admin = Client()
    admin.force_login(service.admin)
    page = admin.get(reverse("fees:thresholds")).content.decode()
    assert "National default, unconfirmed" in page and "£8000.00" in page
    response = admin.post(
        reverse("fees:thresholds"),
        {
            "effective_from": timezone.localdate().strftime("%d/%m/%Y"),
            "gross_monthly_income": "2700.00",
            "children_included": "4",
            "per_extra_child": "230.00",
            "disposable_monthly_income": "750.00",
            "disposable_capital": "8000.00",
            "source": "LAA guidance checked",
        },
    )
    assert response.status_code == 302
    staff = Client()
    staff.force_login(service.coordinator)
    page = staff.get(reverse("fees:means", args=[case.pk])).content.decode()
    assert "£750.00" in page and "the service's own" in page
    response = staff.post(
        reverse("fees:means", args=[case.pk]),
        {
            "participant": alice.pk,
            "evidence": "means_assessment",
            "assessed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "disposable_capital": "100.00",
            "gross_monthly_income": "2000.00",
            "disposable_monthly_income": "749.00",
            "dependent_children": "1",
            "evidence_note": "CIVMEANS7 seen.",
        },
    )
    assert response.status_code == 302
    assert MeansAssessment.objects.get(participant=alice).eligible
