"""factory_boy factories and a ready-made service for tests, benchmarks and the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import factory
from allauth.mfa.models import Authenticator
from django.db import transaction

from accord.accounts.models import User
from accord.cases import services as case_services
from accord.cases.kinds import KINDS
from accord.cases.models import Case, Participant
from accord.organisations import services as org_services
from accord.organisations.models import Accreditation, Organisation, Role
from accord.organisations.selectors import staff_in

#: Password used for every user the factories create (never used outside tests and the demo).
TEST_PASSWORD = "correct-horse-battery-staple"
#: A fixed base32 TOTP secret so tests and the demo can produce valid two-factor codes.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in with TEST_PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)


def enable_totp(user: User, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    """Give a user a TOTP authenticator with a known secret."""
    from allauth.mfa.utils import encrypt

    authenticator, _ = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return authenticator


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The current six-digit code for a TOTP secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@transaction.atomic
def staff_member(
    organisation: Organisation,
    role: str,
    *,
    email: str | None = None,
    name: str | None = None,
    mfa: bool = True,
    **profile: Any,
) -> User:
    """A user holding one staff role (plus a mediator profile for mediators), granted by the
    service's admin: make the admin first (the platform operator makes a service's first one)."""
    kwargs: dict[str, Any] = {}
    if email:
        kwargs["email"] = email
    if name:
        kwargs["full_name"] = name
    admin = staff_in(organisation, Role.SERVICE_ADMIN).first()
    if admin is None and role != Role.SERVICE_ADMIN:
        raise ValueError("Staff roles are granted by the service's admin: add one first.")
    user = cast(User, UserFactory(**kwargs))
    if admin is None:
        org_services.organisation_first_admin_grant(
            actor=None, organisation=organisation, user=user
        )
    else:
        org_services.membership_grant(actor=admin, organisation=organisation, user=user, role=role)
    if role == Role.MEDIATOR:
        org_services.mediator_profile_set(
            actor=admin, organisation=organisation, user=user, **profile
        )
    if mfa:
        enable_totp(user)
    return user


@dataclass
class Service:
    """A test service: its staff by role, and cases keyed by name."""

    organisation: Organisation
    admin: User
    coordinator: User
    mediator: User
    mediator2: User
    supervisor: User
    safeguarding_lead: User
    cases: dict[str, Case] = field(default_factory=dict)
    parties: dict[str, User] = field(default_factory=dict)

    @property
    def case(self) -> Case:
        return self.cases["family"]


def party_with_login(
    case: Case, *, actor: User, name: str, email: str, **extra: Any
) -> tuple[Participant, User]:
    """Add a party to a case and give them a portal login."""
    participant = case_services.participant_add(
        actor=actor, case=case, role="party", full_name=name, email=email, **extra
    )
    user = cast(User, UserFactory(email=email, full_name=name))
    Participant.objects.filter(pk=participant.pk).update(user=user, portal_access=True)
    participant.refresh_from_db()
    return participant, user


@transaction.atomic
def build_service(
    *,
    name: str = "Riverside Family Mediation",
    slug: str = "riverside",
    prefix: str = "ACC",
    kinds_offered: tuple[str, ...] | None = None,
) -> Service:
    """A service with admin, coordinator, two mediators, supervisor, safeguarding lead and cases.

    It offers every kind of mediation unless `kinds_offered` names some.
    """
    organisation = org_services.organisation_create(
        actor=None, name=name, slug=slug, reference_prefix=prefix
    )
    # Set directly, without an audit event, so that tests counting events are not disturbed;
    # every kind while its standard cases are opened, then the kinds asked for.
    organisation.kinds_offered = list(KINDS)
    organisation.save(update_fields=["kinds_offered"])
    # The admin first: they grant everyone else their role.
    admin = staff_member(organisation, Role.SERVICE_ADMIN, name=f"{prefix} Admin")
    supervisor = staff_member(organisation, Role.SUPERVISOR, name=f"{prefix} Supervisor")
    svc = Service(
        organisation=organisation,
        admin=admin,
        coordinator=staff_member(organisation, Role.COORDINATOR, name=f"{prefix} Coordinator"),
        mediator=staff_member(
            organisation,
            Role.MEDIATOR,
            name=f"{prefix} Mediator",
            fmc_urn="FMC1234",
            accreditation=Accreditation.ACCREDITED,
            supervisor=supervisor,
        ),
        mediator2=staff_member(
            organisation,
            Role.MEDIATOR,
            name=f"{prefix} Trainee",
            accreditation=Accreditation.PROVISIONAL,
            supervisor=supervisor,
        ),
        supervisor=supervisor,
        safeguarding_lead=staff_member(
            organisation, Role.SAFEGUARDING_LEAD, name=f"{prefix} Safeguarding"
        ),
    )
    family = case_services.case_open(
        actor=svc.coordinator,
        organisation=organisation,
        kind="family_children",
        title="Smith / Jones",
        lead_mediator=svc.mediator,
    )
    _, alice = party_with_login(
        family,
        actor=svc.coordinator,
        name="Alice Smith",
        email=f"alice@{slug}.example",
        address="1 Hidden Lane, Leeds",
        confidential_address=True,
    )
    _, bob = party_with_login(
        family,
        actor=svc.coordinator,
        name="Bob Jones",
        email=f"bob@{slug}.example",
        address="2 Open Road, Leeds",
    )
    other = case_services.case_open(
        actor=svc.coordinator,
        organisation=organisation,
        kind="civil",
        title="Acme Ltd / Brown",
        lead_mediator=svc.mediator2,
    )
    _, carol = party_with_login(
        other, actor=svc.coordinator, name="Carol Brown", email=f"carol@{slug}.example"
    )
    svc.cases = {"family": family, "civil": other}
    svc.parties = {"alice": alice, "bob": bob, "carol": carol}
    if kinds_offered is not None:
        organisation.kinds_offered = list(kinds_offered)
        organisation.save(update_fields=["kinds_offered"])
    return svc


def ready_for_sessions(case: Case, *, route: str = "joint", by: User | None = None) -> Case:
    """Record what the suitability gate needs before sessions (see accord.mediation.gate).

    Family cases: a MIAM recorded as held for every party. Kinds with a suitability decision
    (family, civil, workplace, community): a decision of `route` (joint by default), by the lead
    mediator. SEND needs neither. The Agreement to Mediate is a separate gate (agreements app).
    """
    from django.utils import timezone

    from accord.cases import kinds
    from accord.cases.models import ParticipantRole
    from accord.meetings.models import Miam, MiamStatus, SuitabilityDecision

    decider = by or case.lead_mediator
    assert decider is not None, "The case needs a lead mediator (or pass `by`)."
    now = timezone.now()
    if kinds.applies(case.kind, "miam"):
        parties = list(case.participants.filter(role=ParticipantRole.PARTY))
        if parties:
            miam = Miam.objects.create(
                organisation_id=case.organisation_id,
                case=case,
                mediator=decider,
                starts_at=now - dt.timedelta(days=7),
                mode="video",
                place="https://video.example/miam",
                status=MiamStatus.HELD,
                held_recorded_at=now - dt.timedelta(days=7),
            )
            miam.attendees.set(parties)
    if kinds.applies(case.kind, "suitability"):
        SuitabilityDecision.objects.update_or_create(
            case=case,
            defaults={
                "organisation_id": case.organisation_id,
                "route": route,
                "reasons": "Screening found no concerns about meeting together.",
                "signposting": "Support services and the court." if route == "not_suitable" else "",
                "decided_by": decider,
                "decided_at": now,
            },
        )
    return case
