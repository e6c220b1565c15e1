"""The shared test service builds and its audit trail starts intact."""

from django.utils import timezone

from accord.audit.models import AuditEvent
from accord.testing.factories import totp_code


def test_build_service_creates_roles_cases_and_audit_events(service):
    year = timezone.localdate().year
    assert service.case.reference == f"ACC-{year}-000001"
    assert service.cases["civil"].reference == f"ACC-{year}-000002"
    assert service.case.participants.count() == 2
    assert AuditEvent.objects.filter(organisation=service.organisation).count() > 10


def test_totp_code_is_six_digits():
    code = totp_code()
    assert len(code) == 6 and code.isdigit()
