"""A confidential address can only be changed or unprotected by the case team."""

import pytest

from accord.audit.models import AuditEvent
from accord.cases.services import participant_update
from accord.core.errors import NotPermitted


def _alice(service):
    return service.case.participants.get(full_name="Alice Smith")


@pytest.mark.parametrize(
    "change",
    [{"confidential_address": False}, {"address": "3 New Street, York"}],
    ids=["lift-flag", "change-address"],
)
def test_coordinator_cannot_reveal_or_change_a_confidential_address(service, change):
    alice = _alice(service)
    events = AuditEvent.objects.count()
    with pytest.raises(NotPermitted):
        participant_update(actor=service.coordinator, participant=alice, **change)
    alice.refresh_from_db()
    assert alice.confidential_address is True
    assert alice.address == "1 Hidden Lane, Leeds"
    assert AuditEvent.objects.count() == events


def test_coordinator_can_still_update_other_details_of_a_protected_participant(service):
    alice = _alice(service)
    participant_update(actor=service.coordinator, participant=alice, phone="0113 496 0000")
    alice.refresh_from_db()
    assert alice.phone == "0113 496 0000"
    assert alice.confidential_address is True


def test_lead_mediator_can_change_a_confidential_address(service):
    alice = _alice(service)
    participant_update(actor=service.mediator, participant=alice, address="3 New Street, York")
    alice.refresh_from_db()
    assert alice.address == "3 New Street, York"
