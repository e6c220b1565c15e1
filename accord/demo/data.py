"""The demo mediation services, loaded through the ordinary services so every step is audited.

Everything here is for trying Accord out on one machine: the logins use a published password
and a published two-factor secret, so the `demo` command refuses to run in production, and the
loader never sends email.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accord.accounts.models import User
from accord.cases import services as case_services
from accord.cases.kinds import KINDS
from accord.cases.models import Case, Participant
from accord.deadlines import services as deadline_services
from accord.demo import story_fees
from accord.demo.clock import StoryClock, story_moment
from accord.demo.story_appts import load_appointments_story
from accord.demo.story_children import load_children_story
from accord.demo.story_csp import post_room_history
from accord.demo.story_finance import load_finance_story
from accord.demo.story_records import load_records_story
from accord.demo.story_send import load_send_story
from accord.demo.story_staff import load_staff_story
from accord.demo.story_steps import load_steps_story, workplace_steps
from accord.organisations import services as org_services
from accord.organisations.models import Accreditation, Organisation, Role
from accord.testing import journey

#: Password of every demo login. Published in the README: never give it to a real person.
DEMO_PASSWORD = "mediate-in-good-faith"  # noqa: S105  (published on purpose)
#: Base32 two-factor secret shared by every demo member of staff (add it to an authenticator app).
DEMO_TOTP_SECRET = "ACCORDDEMOTOTPSECRETFORSTAFFONLY"  # noqa: S105  (published on purpose)
#: The demo service is found by this slug, so loading twice changes nothing.
DEMO_SLUG = "riverside-demo"
#: A second, unrelated service that shows each organisation sees only its own data.
OTHER_DEMO_SLUG = "hillside-demo"
RIVERSIDE = "Riverside Family Mediation"
HILLSIDE = "Hillside Community Mediation"


@dataclass(frozen=True)
class DemoLogin:
    """One demo sign-in: who it is, which service, and what the role shows."""

    email: str
    name: str
    service: str
    description: str
    is_staff: bool


@dataclass(frozen=True)
class _Staff:
    email: str
    name: str
    roles: tuple[str, ...]
    description: str


RIVERSIDE_STAFF = {
    "admin": _Staff(
        "admin@riverside.example", "Priya Shah", (Role.SERVICE_ADMIN,), "Service admin"
    ),
    "coordinator": _Staff(
        "coordinator@riverside.example", "Tom Ellis", (Role.COORDINATOR,), "Case coordinator"
    ),
    "mediator": _Staff(
        "mediator@riverside.example",
        "Helen Carter",
        (Role.MEDIATOR,),
        "Mediator, accredited (FMCA), URN FMC-4412",
    ),
    "trainee": _Staff(
        "trainee@riverside.example",
        "Jamal Reid",
        (Role.MEDIATOR,),
        "Mediator, provisional, supervised by Margaret Owen",
    ),
    "supervisor": _Staff(
        "supervisor@riverside.example", "Margaret Owen", (Role.SUPERVISOR,), "Supervisor (PPC)"
    ),
    "safeguarding": _Staff(
        "safeguarding@riverside.example",
        "Ruth Adeyemi",
        (Role.SAFEGUARDING_LEAD,),
        "Safeguarding lead",
    ),
}
HILLSIDE_STAFF = {
    "admin": _Staff(
        "admin@hillside.example",
        "Owen Price",
        (Role.SERVICE_ADMIN, Role.MEDIATOR),
        "Service admin and mediator (a separate service)",
    ),
}
#: Parties who may sign in to the portal: email, name, service, what they show.
PORTAL_PARTIES = (
    ("sarah.khan@parties.example", "Sarah Khan", RIVERSIDE, "Party (confidential address)"),
    ("daniel.wright@parties.example", "Daniel Wright", RIVERSIDE, "Party, the other parent"),
    ("joanne.harrison@parties.example", "Joanne Harrison", RIVERSIDE, "Parent in a SEND case"),
    ("claire.hughes@parties.example", "Claire Hughes", RIVERSIDE, "Parent: children's case"),
    ("liam.brennan@parties.example", "Liam Brennan", RIVERSIDE, "Parent: children's case"),
    ("chris@firm.example", "Chris Taylor", RIVERSIDE, "Party: workplace case"),
    ("kasia.novak@parties.example", "Kasia Novak", HILLSIDE, "Party in the other service"),
)


def demo_logins() -> list[DemoLogin]:
    """Every demo sign-in, staff first, in the order the command prints them."""
    logins = [
        DemoLogin(s.email, s.name, RIVERSIDE, s.description, True) for s in RIVERSIDE_STAFF.values()
    ]
    logins += [
        DemoLogin(s.email, s.name, HILLSIDE, s.description, True) for s in HILLSIDE_STAFF.values()
    ]
    logins += [
        DemoLogin(email, name, svc, what, False) for email, name, svc, what in PORTAL_PARTIES
    ]
    return logins


def demo_is_loaded() -> bool:
    """True when the demo service is already in the database."""
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


def totp_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    """The six-digit code an authenticator app would show now for this secret."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))


def totp_seconds_left(at: float | None = None) -> int:
    """Seconds until the current code changes."""
    from allauth.mfa import app_settings

    moment = time.time() if at is None else at
    return app_settings.TOTP_PERIOD - int(moment) % app_settings.TOTP_PERIOD


def demo_staff_codes() -> list[tuple[DemoLogin, str | None]]:
    """Each demo member of staff with their current code; None if they use another secret."""
    result: list[tuple[DemoLogin, str | None]] = []
    staff = [login for login in demo_logins() if login.is_staff]
    users = {u.email: u for u in User.objects.filter(email__in=[s.email for s in staff])}
    for login in staff:
        user = users.get(login.email)
        secret = _stored_totp_secret(user) if user is not None else None
        result.append((login, totp_code() if secret == DEMO_TOTP_SECRET else None))
    return result


def _stored_totp_secret(user: User) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    return decrypt(authenticator.data["secret"])


def _set_demo_totp(user: User) -> None:
    """Give a demo member of staff the published secret (replacing any other one)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )
    elif decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET:
        authenticator.data = {"secret": encrypt(DEMO_TOTP_SECRET)}
        authenticator.save(update_fields=["data"])


def _password_hash() -> str:
    return _hash_with(get_hasher().algorithm)


@functools.cache
def _hash_with(algorithm: str) -> str:
    # Hashing is deliberately slow; every demo login shares one published password, so hash once.
    return make_password(DEMO_PASSWORD, hasher=algorithm)


@functools.cache
def _is_demo_password(encoded: str) -> bool:
    return check_password(DEMO_PASSWORD, encoded)


def _demo_user(email: str, name: str) -> User:
    """The demo person with this email, created or reset to the published password."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, password=_password_hash())
        user.save()
        return user
    if not _is_demo_password(user.password) or not user.is_active:
        user.password = _password_hash()
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user


@dataclass
class DemoSummary:
    """What `demo_load` did and the logins it made available."""

    created: bool
    logins: list[DemoLogin] = field(default_factory=demo_logins)


def demo_load() -> DemoSummary:
    """Load both demo services once; on later runs only restore the published logins."""
    if demo_is_loaded():
        _restore_logins()
        return DemoSummary(created=False)
    # The services email invitations on commit; demo addresses are made up, so keep mail here.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        try:
            _load_riverside()
            _load_hillside()
        finally:
            _CLOCK.stop()  # later stories start at the real time and move it themselves
        load_staff_story()
        load_appointments_story()
        load_steps_story()
        load_send_story()
        load_children_story(_give_portal_login)
        load_finance_story(_give_portal_login)
        load_records_story()
        _deliver_earlier_emails()
    return DemoSummary(created=True)


def _deliver_earlier_emails() -> None:
    """A worker would have sent the story's older emails on their own days (confirmations of
    MIAMs held weeks ago, answers long since read): deliver those the stories dated with
    `story_time` wrote (the loader's own go out as its clock moves, `_on`), each as of a minute
    after it was due, to the loader's local mailbox. `accord worker` then sends only what the
    story leaves waiting: what happened since the day before (Murphy / Lee's invitation, today's
    bookings, the stale ones it drops)."""
    import time_machine

    from accord.deadlines.delivery import outbox_deliver_one
    from accord.deadlines.models import OutboundEmail, OutboundStatus

    before = story_moment(days_ago=1, at="00:00")
    earlier = OutboundEmail.objects.filter(
        status=OutboundStatus.PENDING, created_at__lt=before, next_attempt_at__lt=before
    ).order_by("next_attempt_at", "pk")
    for email_id, written, due in earlier.values_list("pk", "created_at", "next_attempt_at"):
        with time_machine.travel(max(written, due) + dt.timedelta(minutes=1), tick=True):
            outbox_deliver_one(email_id=email_id)


@transaction.atomic
def _restore_logins() -> None:
    """Someone may have changed a demo password or two-factor secret: put back what is printed."""
    for login in demo_logins():
        if not User.objects.filter(email=login.email).exists():
            continue  # the person was removed on purpose; do not bring them back
        user = _demo_user(login.email, login.name)
        if login.is_staff:
            _set_demo_totp(user)


def _add_staff(organisation: Organisation, spec: _Staff, *, actor: User | None) -> User:
    """Give a demo person their roles, granted by the service's admin `actor`; with no actor
    the person is the new service's first admin, made by the platform operator, who then grants
    their own other roles."""
    user = _demo_user(spec.email, spec.name)
    roles = list(spec.roles)
    if actor is None:
        if roles[0] != Role.SERVICE_ADMIN:
            raise ValueError("A new service's first member of staff is its admin.")
        org_services.organisation_first_admin_grant(
            actor=None, organisation=organisation, user=user
        )
        actor, roles = user, roles[1:]
    for role in roles:
        org_services.membership_grant(actor=actor, organisation=organisation, user=user, role=role)
    _set_demo_totp(user)
    return user


def _move(case: Case, actor: User, *steps: tuple[str, str]) -> Case:
    """Walk a case through its workflow so its timeline shows each move and why."""
    for to_stage, reason in steps:
        case = case_services.case_change_stage(
            actor=actor, case=case, to_stage=to_stage, reason=reason
        )
    return case


def _story_moves(case: Case, actor: User, *steps: tuple[int, str, str]) -> Case:
    """Walk a case through its workflow, each move on its own story day (days ago, stage, why)."""
    for days_ago, to_stage, reason in steps:
        _on(days_ago)
        case = _move(case, actor, (to_stage, reason))
    return case


def _add(case: Case, actor: User, **data: Any) -> Participant:
    return case_services.participant_add(actor=actor, case=case, **data)


def _give_portal_login(participant: Participant, actor: User) -> Participant:
    """Link a party to a demo login with the published password, as an invitation would."""
    _demo_user(participant.email, participant.full_name)
    # The link uses the site address, which `accord demo` sets from --host and --port.
    return case_services.participant_invite_to_portal(actor=actor, participant=participant)


#: The demo's clock: `_on(days_ago)` before each step of a story makes it happen on that day,
#: so audit events, deadlines and timestamps carry the story's dates. `demo_load` stops it.
_CLOCK = StoryClock()


def _on(days_ago: int, at: str = "10:00", *, weekday: bool = True) -> None:
    """The next steps happen ``days_ago`` days before today at ``at`` (UK time).

    Before the clock moves, the story's emails that are due go out, as a worker running
    alongside would have sent them (to the loader's local mailbox); those of the last day or so
    are left waiting for `accord worker` (see `_deliver_earlier_emails`)."""
    _deliver_due_story_emails()
    _CLOCK.go(days_ago, at, weekday=weekday)


def _deliver_due_story_emails() -> None:
    import time_machine

    from accord.deadlines.delivery import outbox_deliver_due

    if time_machine.escape_hatch.is_travelling():
        outbox_deliver_due(now=min(timezone.now(), story_moment(days_ago=1, at="00:00")))


@transaction.atomic
def _load_riverside() -> None:
    """The main demo service: every staff role and cases of each kind at different stages."""
    _on(120)
    org = org_services.organisation_create(
        actor=None, name=RIVERSIDE, slug=DEMO_SLUG, reference_prefix="RFM"
    )
    admin = _add_staff(org, RIVERSIDE_STAFF["admin"], actor=None)
    coordinator = _add_staff(org, RIVERSIDE_STAFF["coordinator"], actor=admin)
    mediator = _add_staff(org, RIVERSIDE_STAFF["mediator"], actor=admin)
    trainee = _add_staff(org, RIVERSIDE_STAFF["trainee"], actor=admin)
    supervisor = _add_staff(org, RIVERSIDE_STAFF["supervisor"], actor=admin)
    _add_staff(org, RIVERSIDE_STAFF["safeguarding"], actor=admin)
    # Riverside takes enquiries of every kind; Hillside (below) only civil, workplace and community.
    org = org_services.organisation_set_kinds_offered(
        actor=admin, organisation=org, kinds=list(KINDS)
    )
    org = org_services.organisation_update(
        actor=admin,
        organisation=org,
        email="hello@riverside.example",
        phone="0113 496 0100",
        address="2 Riverside Walk, Leeds LS1 4AP",
    )
    story_fees.fee_schedule_add(org, admin)
    org_services.mediator_profile_set(
        actor=admin,
        organisation=org,
        user=mediator,
        fmc_urn="FMC-4412",
        accreditation=Accreditation.ACCREDITED,
        supervisor=supervisor,
    )
    org_services.mediator_profile_set(
        actor=admin,
        organisation=org,
        user=trainee,
        fmc_urn="FMC-9031",
        accreditation=Accreditation.PROVISIONAL,
        supervisor=supervisor,
    )

    # Child arrangements, well under way: the confidential address and safe-contact case.
    _on(58, "09:30")
    khan = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_children",
        title="Khan / Wright",
        summary="Child arrangements for Amira (9) and Zain (6): weekday routine, school "
        "holidays and handovers. Mother has moved and asked for her address to stay private.",
        lead_mediator=mediator,
    )
    sarah = _add(
        khan,
        coordinator,
        role="party",
        full_name="Sarah Khan",
        email="sarah.khan@parties.example",
        phone="07700 900123",
        address="Flat 4, 18 Willow Court, Leeds LS6 2AB",
        confidential_address=True,
        safe_contact_methods=["email", "portal"],
        safe_contact_notes="Email or the portal only. Do not phone or write to the address.",
    )
    daniel = _add(
        khan,
        coordinator,
        role="party",
        full_name="Daniel Wright",
        email="daniel.wright@parties.example",
        phone="07700 900456",
        address="22 Station Road, Horsforth, Leeds LS18 5NT",
        safe_contact_methods=["email", "phone", "text"],
        safe_contact_notes="Works shifts: calls after 4pm.",
    )
    _add(
        khan,
        coordinator,
        role="solicitor",
        full_name="Rebecca Moss",
        organisation_name="Bridge Street Family Law LLP",
        email="r.moss@bridgestreetlaw.example",
        phone="0113 496 0001",
    )
    _on(57)
    sarah = _give_portal_login(sarah, coordinator)
    daniel = _give_portal_login(daniel, coordinator)
    # Reached through the services, so that the stage, the panels and "what is next" agree:
    # Daniel invited and willing, a MIAM held and screened with each parent, shuttle decided.
    _on(56)
    invitation = journey.invite(coordinator, khan, daniel)
    _on(52, "19:15", weekday=False)
    journey.answer_willing(invitation)
    _on(44)  # the MIAMs were held on the two working days before
    journey.miams_held_and_screened(coordinator, khan, mediator, [sarah, daniel])
    _on(44, "15:30")
    story_fees.khan_funding(khan, coordinator, sarah, daniel)
    _on(43)
    journey.decide(
        mediator, khan, "shuttle", "Suitable for shuttle mediation: parents prefer separate rooms."
    )
    _khan_mediation(khan, mediator, sarah, daniel, coordinator)

    # Finances: waiting for MIAMs. Opened four weeks ago; Grace's solicitor sent Emmanuel's
    # details a week later and he took eleven days to answer, so the MIAMs are booked after the
    # 15-working-day MIAM deadline: the one overdue deadline of the demo. Four weeks hold at
    # least 15 working days whatever the weekday and bank holidays (three weeks hold exactly 15,
    # so the deadline fell due on the day of loading and was not yet overdue in its morning).
    _on(28)
    okafor = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_finance",
        title="Okafor / Okafor",
        summary="Division of the family home, two pensions and savings after separation.",
        lead_mediator=mediator,
    )
    _add(
        okafor,
        coordinator,
        role="party",
        full_name="Grace Okafor",
        email="grace.okafor@parties.example",
        phone="07700 900789",
        address="9 Beech Grove, Wakefield WF1 3QP",
        safe_contact_methods=["email", "phone"],
    )
    _add(
        okafor,
        coordinator,
        role="party",
        full_name="Emmanuel Okafor",
        email="emmanuel.okafor@parties.example",
        address="3 Mill Lane, Ossett WF5 8AB",
        safe_contact_methods=["email", "post"],
    )
    _add(
        okafor,
        coordinator,
        role="solicitor",
        full_name="Imran Hussain",
        organisation_name="Hussain & Co Solicitors",
        email="imran@hussainco.example",
    )
    # Referred by Grace Okafor's solicitor; Emmanuel Okafor agreed through his invitation.
    emmanuel = okafor.participants.get(full_name="Emmanuel Okafor")
    _on(20)
    okafor_invitation = journey.invite(coordinator, okafor, emmanuel)
    _on(9, "08:40")
    journey.answer_willing(okafor_invitation)
    _okafor_missed_miam(okafor, coordinator, emmanuel)
    _on(1)
    _book_miams(okafor, coordinator, mediator)
    _on(1, "15:20")
    _okafor_grace_moves_her_miam(okafor, coordinator)

    # All issues, led by the provisional mediator: outcomes need the supervisor's sign-off.
    _on(35)
    patel = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_all",
        title="Patel / Evans",
        summary="Arrangements for Maya (12), the house and the business both parents run.",
        lead_mediator=trainee,
    )
    _add(
        patel,
        coordinator,
        role="party",
        full_name="Nisha Patel",
        email="nisha.patel@parties.example",
        phone="07700 900234",
        safe_contact_methods=["email", "phone", "text"],
    )
    _add(
        patel,
        coordinator,
        role="party",
        full_name="Gareth Evans",
        email="gareth.evans@parties.example",
        safe_contact_methods=["email"],
    )
    # Both parents contacted the service together, so no invitation was needed; their MIAMs
    # are held and screened, and the suitability decision is next (Maya, 12, offered a say).
    _on(25)
    journey.miams_held_and_screened(
        coordinator, patel, trainee, list(patel.participants.filter(role="party").order_by("pk"))
    )
    # A new enquiry with no mediator yet.
    _on(2, "11:20")
    murphy = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_children",
        title="Murphy / Lee",
        summary="Grandmother asking about time with her grandchildren.",
    )
    _add(
        murphy,
        coordinator,
        role="party",
        full_name="Bernadette Murphy",
        phone="0113 496 0456",
        address="41 Chapel Street, Leeds LS15 7RW",
        safe_contact_methods=["phone", "post"],
        safe_contact_notes="Prefers a phone call in the morning.",
    )
    kerry = _add(
        murphy,
        coordinator,
        role="party",
        full_name="Kerry Lee",
        email="kerry.lee@parties.example",
        address="12 Park View, Leeds LS8 2PQ",
        safe_contact_methods=["email", "post"],
    )
    from accord.willingness import services as willingness

    # The invitation waits for her answer: its link is in the outbox email (see the panel).
    _on(1, "09:10")
    willingness.willingness_invite(
        actor=coordinator, case=murphy, participant=kerry, channel="email"
    )

    # SEND: parent, local authority and school around the table.
    _on(16)
    harrison = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="send",
        title="Harrison - EHC plan, secondary transfer",
        summary="Disagreement about the school named in Leo's EHC plan for Year 7.",
        lead_mediator=mediator,
    )
    joanne = _add(
        harrison,
        coordinator,
        role="parent_carer",
        full_name="Joanne Harrison",
        email="joanne.harrison@parties.example",
        phone="07700 900345",
        safe_contact_methods=["email", "phone", "portal"],
    )
    _add(
        harrison,
        coordinator,
        role="la_officer",
        full_name="Mark Bennett",
        organisation_name="Leeds City Council SEND Team",
        email="mark.bennett@la.example",
        phone="0113 496 0789",
    )
    _add(
        harrison,
        coordinator,
        role="school_rep",
        full_name="Anne Fisher",
        organisation_name="Oakfield Primary School (SENCo)",
        email="senco@oakfield.example",
    )
    _give_portal_login(joanne, coordinator)

    # The SEND clock (shared with the parent); the family cases' MIAM clocks start by themselves.
    # The rest of Harrison's story (the decision, the stage moves, the people, the call) is in
    # story_send, on its own days after this.
    _on(16, "10:30")
    deadline_services.deadline_create(
        actor=coordinator,
        case=harrison,
        rule_code="send.arrange_mediation",
        start=harrison.opened_at,
        owner=coordinator,
        concerns_participant=joanne,
        visible_to_participants=True,
    )

    # Civil: a settlement being written up by the provisional mediator.
    _on(49)
    northgate = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="civil",
        title="Northgate Builders Ltd / Ahmed",
        summary="Unpaid balance and defects after a kitchen extension.",
        lead_mediator=trainee,
    )
    _add(
        northgate,
        coordinator,
        role="party",
        full_name="Gareth Lowe",
        organisation_name="Northgate Builders Ltd (director)",
        email="gareth@northgate.example",
    )
    _add(
        northgate,
        coordinator,
        role="party",
        full_name="Farah Ahmed",
        email="farah.ahmed@parties.example",
        safe_contact_methods=["email"],
    )
    _add(
        northgate,
        coordinator,
        role="solicitor",
        full_name="Olivia Grant",
        organisation_name="Grant Legal",
        email="olivia@grantlegal.example",
    )
    _story_moves(
        northgate,
        trainee,
        (45, "suitability", "Both sides want to avoid the small claims track."),
        (38, "agreement", "Suitable: both have authority to settle."),
        (30, "preparation", "Agreements to Mediate signed; fees shared equally."),
        (21, "mediation", "Position statements received."),
        (7, "outcome", "Mediation day held; terms agreed in principle."),
    )

    # Workplace: waiting for signed Agreements to Mediate.
    _on(12)
    workplace = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="workplace",
        title="Taylor / Singh (finance team)",
        summary="Working relationship between a team leader and a colleague.",
        lead_mediator=mediator,
    )
    _add(workplace, coordinator, role="party", full_name="Chris Taylor", email="chris@firm.example")
    _add(workplace, coordinator, role="party", full_name="Anita Singh", email="anita@firm.example")
    _add(
        workplace,
        coordinator,
        role="supporter",
        full_name="Joe Marsh",
        organisation_name="Union representative",
        email="joe.marsh@union.example",
    )
    _story_moves(
        workplace, mediator, (10, "suitability", "Referred by HR with both employees' agreement.")
    )
    # Individual meetings, the Agreement to Mediate stage, then proposals (story_steps).
    workplace_steps(workplace, _give_portal_login, _on)

    # Community: settled and closed.
    _on(90)
    community = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="community",
        title="Brooks / Mensah (Elm Street)",
        summary="Neighbours: parking and an overgrown hedge.",
        lead_mediator=mediator,
    )
    _add(community, coordinator, role="party", full_name="Alan Brooks", phone="07700 900567")
    _add(community, coordinator, role="party", full_name="Efua Mensah", phone="07700 900678")
    # Alan's neighbour came to the joint meeting to support him: the conflict check on Laura
    # Bennett's enquiry (below) finds him again, as the other parent.
    _add(
        community,
        coordinator,
        role="supporter",
        full_name="Marcus Bennett",
        phone="07700 900902",
    )
    _story_moves(
        community,
        mediator,
        (86, "suitability", "Referred by the housing association."),
        (79, "agreement", "Home visits held: both willing."),
        (72, "preparation", "Agreements to Mediate signed."),
        (65, "mediation", "Both neighbours sent short statements."),
        (58, "outcome", "Joint meeting at the community centre."),
        (51, "closed", "Settlement signed: parking rota agreed and the hedge cut back by May."),
    )

    # After Elm Street: the enquiry's conflict check, run when it arrives, finds Marcus there.
    _load_riverside_work_waiting(org, admin, mediator)
    _load_trainee_mou_for_approval(org, coordinator, trainee)


@transaction.atomic
def _book_miams(case: Case, coordinator: User, mediator: User) -> None:
    """A separate video MIAM for each party next week, as a coordinator books them."""
    from accord.meetings import services as meetings

    parties = case.participants.filter(role="party").order_by("pk")
    day = timezone.localtime(timezone.now()) + dt.timedelta(days=7)
    for party in parties:
        while day.weekday() >= 5:  # the service books MIAMs on weekdays
            day += dt.timedelta(days=1)
        start, day = day, day + dt.timedelta(days=1)
        meetings.miam_book(
            actor=coordinator,
            case=case,
            attendees=[party],
            mediator=mediator,
            starts_at=start.replace(hour=10, minute=0, second=0, microsecond=0),
            mode="video",
            place="https://video.riverside.example/miam",
        )


def _okafor_missed_miam(case: Case, coordinator: User, emmanuel: Participant) -> None:
    """The day after answering, Emmanuel is booked a phone MIAM three days on, and misses it."""
    from accord.meetings import services as meetings

    _on(8, "11:30")
    missed = meetings.miam_book(
        actor=coordinator,
        case=case,
        attendees=[emmanuel],
        mediator=case.lead_mediator,
        starts_at=story_moment(days_ago=5, at="11:00"),
        mode="phone",
        place="Riverside will call the number on file",
    )
    _on(5, "11:45")
    meetings.miam_mark_did_not_attend(actor=coordinator, miam=missed)


def _okafor_grace_moves_her_miam(case: Case, coordinator: User) -> None:
    """Grace asks for the afternoon: her MIAM moves; her portal, calendar file and emails follow,
    and the first confirmation is never sent."""
    from accord.meetings import services as meetings
    from accord.meetings.models import Miam, MiamStatus

    grace = case.participants.get(full_name="Grace Okafor")
    first = Miam.objects.filter(case=case, status=MiamStatus.BOOKED, attendees=grace).first()
    if first is not None:
        meetings.miam_move(
            actor=coordinator,
            miam=first,
            starts_at=first.starts_at.replace(hour=15),
            duration_minutes=first.duration_minutes,
            mode=first.mode,
            place=first.place,
        )


def _khan_mediation(
    case: Case, mediator: User, sarah: Participant, daniel: Participant, coordinator: User
) -> None:
    """Shuttle mediation under way: the agreement signed, two sessions held and invoiced, the
    agenda, the rooms, a draft MoU.

    Everything goes through the services, as the people would through the pages: both parents
    sign online, the mediator relays a reworded proposal from Sarah's private room to Daniel's,
    and one agenda item is agreed in those words.
    """
    from accord.agenda import services as agenda
    from accord.agreements import services as agreements
    from accord.mediation import services as mediation
    from accord.outcomes import services as outcomes
    from accord.rooms import services as rooms
    from accord.rooms.models import Room

    _on(30)
    agreement = agreements.agreement_create(actor=mediator, case=case, produce_pdf=True)
    for days_ago, person in ((29, sarah), (27, daniel)):
        _on(days_ago, "20:30", weekday=False)
        agreements.signature_sign_online(
            user=person.user,
            packet=agreement.packet,
            typed_name=person.full_name,
            confirm=True,
            ip="192.0.2.10",
            user_agent="Demo browser",
        )
    # Two shuttle sessions, three weeks and a week ago, each booked a few days before.
    _on(24)
    first = story_fees.session_book_for(
        mediator, case, [sarah, daniel], story_moment(days_ago=20, at="10:00")
    )
    _on(20, "10:00")
    story_fees.session_hold(mediator, first, _CLOCK.later)
    _on(13, "16:00")
    second = story_fees.session_book_for(
        mediator, case, [sarah, daniel], story_moment(days_ago=8, at="14:00")
    )
    _on(12)
    weekends = agenda.agenda_item_propose(
        actor=sarah.user,
        case=case,
        title="Weekends",
        topic="child_arrangements",
        issue="Which weekends Amira and Zain spend with each parent.",
        view="The children need a settled routine before school on Monday.",
        hopes="Alternate weekends, with Sunday evening handovers.",
    )
    _on(11, "18:45")
    holidays = agenda.agenda_item_propose(
        actor=daniel.user,
        case=case,
        title="School holidays",
        topic="child_arrangements",
        issue="How the summer and Christmas holidays are shared.",
        hopes="A fortnight with the children each summer.",
    )
    _on(10)
    agenda.agenda_item_mark_children(actor=mediator, item=weekends, touches_children=True)
    for status in ("exploring", "options"):
        agenda.agenda_item_change_status(actor=mediator, item=weekends, to_status=status)
        agenda.agenda_item_change_status(actor=mediator, item=holidays, to_status=status)
    _on(9, "21:05", weekday=False)
    agenda.agenda_option_add(
        actor=daniel.user, item=weekends, text="Alternate weekends, Friday to Sunday."
    )

    _on(8, "14:00")
    story_fees.session_hold(mediator, second, _CLOCK.later)
    # The day after, the coordinator invoices what has happened; Daniel pays three days ago.
    _on(7, "11:00")
    story_fees.khan_invoices_issued(case, coordinator)
    _on(6)
    rooms.rooms_ensure(case=case)
    sarah_room = Room.objects.get(case=case, kind="private", party=sarah)
    daniel_room = Room.objects.get(case=case, kind="private", party=daniel)
    rooms.message_post(
        actor=daniel.user,
        room=daniel_room,
        body="I'd like Friday nights too, but I can't do Sunday pick-ups before 6.",
    )
    _on(5, "12:10")
    own = rooms.message_post(
        actor=sarah.user,
        room=sarah_room,
        body="He can have every other weekend if he brings them back by 5 on Sunday. "
        "I don't want to see him at the door.",
    )
    wording = (
        "Amira and Zain spend alternate weekends with their father, from Friday after school "
        "until 5pm on Sunday; handovers happen at school or at the contact centre."
    )
    _on(4)
    rooms.message_relay(
        actor=mediator, message=own, to_room=daniel_room, mode="reworded", text=wording
    )
    _on(3, "09:15")
    story_fees.khan_invoices_paid(case, coordinator)
    _on(3, "17:50")
    rooms.message_post(actor=daniel.user, room=daniel_room, body="Yes, I can agree to that.")
    _on(2)
    agenda.agenda_item_change_status(actor=mediator, item=weekends, to_status="proposal")
    agenda.agenda_item_change_status(
        actor=mediator, item=weekends, to_status="agreed", agreed_wording=wording
    )
    outcomes.outcome_draft_create(actor=mediator, case=case, kind="mou")
    # Sarah and Helen arrange the next session in her private room (more than a page of it).
    post_room_history(room=sarah_room, mediator=mediator, later=_CLOCK.later, on=_on)
    # The next shuttle session, booked today for next week.
    _on(0)
    next_week = timezone.localtime(timezone.now() + dt.timedelta(days=6))
    while next_week.weekday() >= 5:
        next_week += dt.timedelta(days=1)
    mediation.session_book(
        actor=mediator,
        case=case,
        format="shuttle",
        starts_at=next_week.replace(hour=14, minute=0, second=0, microsecond=0),
        mode="video",
        place="https://video.riverside.example/khan-wright",
        attendees=[sarah, daniel],
        mediators=[mediator],
    )


def _load_riverside_work_waiting(org: Organisation, admin: User, mediator: User) -> None:
    """Work that waits in the queues: a public enquiry to check for conflicts, an open
    safeguarding concern, and a new member of staff who has not yet set up two-factor sign-in."""
    from accord.intake import services as intake
    from accord.intake.models import EnquirySource
    from accord.safeguarding.services.concerns import concern_raise

    # Arrived through the public form last night: the coordinator checks it for conflicts.
    _on(1, "21:40", weekday=False)
    intake.enquiry_submit(
        actor=None,
        organisation=org,
        source=EnquirySource.PUBLIC,
        applicant={
            "full_name": "Laura Bennett",
            "email": "laura.bennett@parties.example",
            "phone": "07700 900901",
            "safe_contact_methods": ["email", "phone"],
        },
        # Marcus supported a neighbour in the Elm Street mediation that Helen Carter led: the
        # conflict check matches his phone, and the coordinator decides who may mediate.
        other_parties=[
            {"full_name": "Marcus Bennett", "phone": "07700 900902", "safe_to_contact": "yes"}
        ],
        children=[{"full_name": "Isla", "date_of_birth": dt.date(2019, 4, 2)}],
        issues=["child_arrangements"],
        urgency="routine",
    )
    # Raised by Helen Carter on Okafor / Okafor: the safeguarding lead decides what to do.
    _on(1, "15:30")
    okafor = Case.objects.get(organisation=org, title="Okafor / Okafor")
    concern_raise(
        actor=mediator,
        case=okafor,
        source="other",  # on the phone, before her MIAM
        allegation="Grace Okafor said on the phone, when her MIAM was booked, that her former "
        "husband checks her bank account and phone, and that she feels she cannot refuse.",
        subject_kind="adult",
        subject_name="Grace Okafor",
        alleged_by="Grace Okafor, on the phone when her MIAM was booked",
        alleged_against="Emmanuel Okafor",
        action_taken="Talked through the domestic abuse helpline and safe contact by email.",
    )
    # A coordinator invited this week: the admin's queue shows her without two-factor sign-in.
    _on(3)
    newcomer = _demo_user("leah.morgan@riverside.example", "Leah Morgan")
    org_services.membership_grant(
        actor=admin, organisation=org, user=newcomer, role=Role.COORDINATOR
    )


def _load_trainee_mou_for_approval(org: Organisation, coordinator: User, trainee: User) -> None:
    """Jamal Reid (provisional) has mediated Hughes / Carter to an agreement: his MoU waits for
    Margaret Owen's approval in her queue before he can issue it."""
    from accord.outcomes import services as outcomes

    _on(40)
    case = case_services.case_open(
        actor=coordinator,
        organisation=org,
        kind="family_children",
        title="Hughes / Carter",
        summary="Handovers and school holidays for Noah (7).",
        lead_mediator=trainee,
    )
    parents = [
        _give_portal_login(
            _add(
                case,
                coordinator,
                role="party",
                full_name=name,
                email=email,
                safe_contact_methods=["email", "portal"],
            ),
            coordinator,
        )
        for name, email in (
            ("Emma Hughes", "emma.hughes@parties.example"),
            ("Ryan Carter", "ryan.carter@parties.example"),
        )
    ]
    _on(39)
    hughes_invitation = journey.invite(coordinator, case, parents[1])
    _on(36, "20:00", weekday=False)
    journey.answer_willing(hughes_invitation)
    _on(30)
    journey.miams_held_and_screened(coordinator, case, trainee, parents)
    _on(28)
    journey.decide(trainee, case, "joint", "Suitable for joint sessions: no risk indicators.")
    _on(21)
    agreement = journey.agreement_prepared(trainee, case)
    for days_ago, parent in zip((20, 19), parents, strict=True):
        _on(days_ago, "19:30", weekday=False)
        journey.sign_online(agreement.packet, parent)
    _on(15)
    session = journey.book_session(trainee, case, parents, format="joint", days=1)
    _on(14, "09:55")
    journey.start_session(trainee, session)
    journey.agree_item(
        trainee,
        case,
        "Handovers",
        "Noah moves between homes at school on Fridays; in the holidays at 5pm at the library.",
    )
    journey.finish_session(trainee, session)
    _on(8)
    draft = outcomes.outcome_draft_create(actor=trainee, case=case, kind="mou")
    _on(2)
    outcomes.outcome_submit_for_approval(actor=trainee, draft=draft)


def _load_hillside() -> None:
    """A second, small service: its staff and parties never see Riverside's data."""
    _on(150)
    org = org_services.organisation_create(
        actor=None, name=HILLSIDE, slug=OTHER_DEMO_SLUG, reference_prefix="HCM"
    )
    owen = _add_staff(org, HILLSIDE_STAFF["admin"], actor=None)
    org = org_services.organisation_set_kinds_offered(
        actor=owen, organisation=org, kinds=["civil", "workplace", "community"]
    )
    org_services.mediator_profile_set(
        actor=owen, organisation=org, user=owen, accreditation=Accreditation.NOT_ACCREDITED
    )
    org_services.organisation_update(
        actor=owen, organisation=org, email="help@hillside.example", phone="01632 960 200"
    )
    _on(9)
    case = case_services.case_open(
        actor=owen,
        organisation=org,
        kind="community",
        title="Novak / Doyle (shared driveway)",
        summary="Access to a shared driveway and a boundary fence.",
        lead_mediator=owen,
    )
    kasia = _add(
        case,
        owen,
        role="party",
        full_name="Kasia Novak",
        email="kasia.novak@parties.example",
        safe_contact_methods=["email", "portal"],
    )
    _add(case, owen, role="party", full_name="Liam Doyle", phone="07700 900890")
    _on(8)
    _give_portal_login(kasia, owen)
    _on(5)
    _move(case, owen, ("suitability", "Both neighbours agreed to meet separately first."))
