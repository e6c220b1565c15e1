"""The demo shows a staff invitation waiting and a court order on a family case."""

from __future__ import annotations

import pytest

from accord.demo.data import demo_load


@pytest.mark.django_db
def test_demo_has_a_pending_staff_invitation_and_a_court_order():
    from accord.organisations.models import StaffInvitation, StaffInvitationStatus
    from accord.willingness.models import CourtOrder

    demo_load()
    invitation = StaffInvitation.objects.get(user__email="sam.whitfield@riverside.example")
    assert invitation.status == StaffInvitationStatus.PENDING
    assert invitation.roles == ["mediator"]
    order = CourtOrder.objects.get(case__title="Murphy / Lee")
    assert order.orders == "miam" and order.deadline is not None
