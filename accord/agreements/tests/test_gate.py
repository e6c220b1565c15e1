"""The session gate: who still has to sign, and the refusal that names them."""

from __future__ import annotations

import pytest

from accord.agreements import gate
from accord.agreements.tests.helpers import party, prepare, sign
from accord.cases import services as case_services
from accord.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_without_an_agreement_every_party_is_unsigned(service):
    case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="solicitor",
        full_name="Sam Counsel",
        email="sam@law.example",
    )
    unsigned = gate.unsigned_required(service.case)
    assert [p.full_name for p in unsigned] == ["Alice Smith", "Bob Jones"]
    with pytest.raises(ValidationFailed) as caught:
        gate.ensure_agreement_signed(service.case)
    assert "no Agreement to Mediate" in caught.value.message
    assert "Alice Smith, Bob Jones" in caught.value.message


def test_unsigned_shrinks_as_parties_sign_and_the_gate_opens_when_all_have(service):
    agreement = prepare(service)
    sign(service, agreement, "bob")
    assert gate.unsigned_required(service.case) == [party(service)]
    with pytest.raises(ValidationFailed) as caught:
        gate.ensure_agreement_signed(service.case)
    assert "still to be signed by: Alice Smith" in caught.value.message
    assert "Bob Jones" not in caught.value.message
    sign(service, agreement, "alice")
    assert gate.unsigned_required(service.case) == []
    gate.ensure_agreement_signed(service.case)


def test_an_added_signer_must_sign_too(service):
    solicitor = case_services.participant_add(
        actor=service.coordinator,
        case=service.case,
        role="solicitor",
        full_name="Sam Counsel",
        email="sam@law.example",
    )
    agreement = prepare(service, extra_signers=[solicitor])
    sign(service, agreement, "alice")
    sign(service, agreement, "bob")
    assert gate.unsigned_required(service.case) == [solicitor]
    with pytest.raises(ValidationFailed):
        gate.ensure_agreement_signed(service.case)


def test_replacing_a_signed_agreement_closes_the_gate_again(service):
    first = prepare(service)
    sign(service, first, "alice")
    sign(service, first, "bob")
    gate.ensure_agreement_signed(service.case)
    prepare(service)
    assert [p.full_name for p in gate.unsigned_required(service.case)] == [
        "Alice Smith",
        "Bob Jones",
    ]


def test_the_gate_reads_only_its_own_case(service):
    agreement = prepare(service)
    sign(service, agreement, "alice")
    sign(service, agreement, "bob")
    civil = service.cases["civil"]
    assert [p.full_name for p in gate.unsigned_required(civil)] == ["Carol Brown"]
