"""The service admin's Django admin: own service only, read-only where the workspace rules."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from accord.accounts.models import User
from accord.audit.models import AuditEvent
from accord.audit.services import audit_record
from accord.cases.models import Participant
from accord.organisations.models import MediatorProfile, Membership, Organisation, Role
from accord.testing.factories import enable_totp


def admin_client(client, user):
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


# Who gets in ------------------------------------------------------------------------------


def test_a_service_admin_enters_the_admin(client, service):
    response = admin_client(client, service.admin).get(url("index"))
    assert response.status_code == 200
    assert "Accord service administration" in response.text


@pytest.mark.parametrize("who", ["coordinator", "mediator", "supervisor", "safeguarding_lead"])
def test_other_staff_are_sent_home(client, service, who):
    client.force_login(getattr(service, who))
    for path in (url("index"), url("cases_case_changelist"), url("audit_auditevent_changelist")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(url("login"))
        # The admin's sign-in page sends a signed-in non-admin home, never to a form.
        onward = client.get(response.url)
        assert (onward.status_code, onward.url) == (302, reverse("home"))


def test_a_party_cannot_enter_the_admin(client, service):
    client.force_login(service.parties["alice"])
    response = client.get(url("cases_participant_changelist"))
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("home")


def test_signing_in_goes_through_the_two_factor_login_not_the_admin_form(client, db):
    response = client.get(url("index"))
    assert response.status_code == 302 and response.url.startswith(url("login"))
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.post(url("login"), {"username": "x", "password": "y"}).status_code == 302


def test_an_inactive_admin_is_refused(client, service):
    User.objects.filter(pk=service.admin.pk).update(is_active=False)
    client.force_login(service.admin)
    assert client.get(url("index")).status_code == 302


def test_a_revoked_admin_is_refused(client, service):
    from accord.organisations.services import membership_grant, membership_revoke

    membership_grant(
        actor=service.admin,
        organisation=service.organisation,
        user=service.coordinator,
        role=Role.SERVICE_ADMIN,
    )
    membership = Membership.objects.get(user=service.admin, role=Role.SERVICE_ADMIN)
    membership_revoke(actor=service.coordinator, membership=membership)
    client.force_login(service.admin)
    assert client.get(url("index")).status_code == 302


# Lists show only the own service ---------------------------------------------------------


@pytest.mark.parametrize(
    "page, own, foreign",
    [
        ("organisations_organisation_changelist", "Riverside Family Mediation", "Northern"),
        ("organisations_membership_changelist", "ACC Coordinator", "NOR "),
        ("organisations_mediatorprofile_changelist", "ACC Mediator", "NOR "),
        ("cases_case_changelist", "ACC-", "NOR-"),
        ("cases_participant_changelist", "ACC-", "NOR-"),
        ("audit_auditevent_changelist", "ACC Coordinator", "NOR "),
    ],
)
def test_list_pages_show_only_the_own_service(client, service, other_service, page, own, foreign):
    response = admin_client(client, service.admin).get(url(page))
    assert response.status_code == 200
    assert own in response.text
    assert foreign not in response.text


def _foreign_objects(other_service):
    organisation = other_service.organisation
    return [
        ("organisations_organisation", organisation.pk),
        ("organisations_membership", Membership.objects.filter(organisation=organisation)[0].pk),
        (
            "organisations_mediatorprofile",
            MediatorProfile.objects.filter(organisation=organisation)[0].pk,
        ),
        ("cases_case", other_service.case.pk),
        ("cases_participant", Participant.objects.filter(organisation=organisation)[0].pk),
        ("audit_auditevent", AuditEvent.objects.filter(organisation=organisation)[0].pk),
    ]


def test_another_services_objects_answer_404_by_url(client, service, other_service):
    admin_client(client, service.admin)
    for model, pk in _foreign_objects(other_service):
        for view in ("change", "history", "delete"):
            response = client.get(url(f"{model}_{view}", pk))
            assert response.status_code == 404, (model, view)
            assert "NOR" not in response.text


def test_posting_to_another_services_object_changes_nothing(client, service, other_service):
    admin_client(client, service.admin)
    organisation = other_service.organisation
    response = client.post(
        url("organisations_organisation_change", organisation.pk),
        {"name": "Hijacked", "reference_prefix": "HIJ", "region": "scotland"},
    )
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name == "Northern Mediation"


def test_query_string_filters_on_hidden_fields_are_refused(client, service):
    admin_client(client, service.admin)
    response = client.get(url("cases_participant_changelist") + "?address__icontains=Hidden")
    assert response.status_code == 400
    response = client.get(url("cases_participant_changelist") + "?role__exact=party")
    assert response.status_code == 200


def test_a_superuser_sees_every_service_but_no_case_data(client, service, other_service):
    operator = User.objects.create_superuser("operator@example.org", full_name="Operator")
    enable_totp(operator)
    client.force_login(operator)
    services = client.get(url("organisations_organisation_changelist")).text
    assert "Riverside Family Mediation" in services and "Northern Mediation" in services
    staff = client.get(url("organisations_membership_changelist")).text
    assert "ACC Admin" in staff and "NOR Admin" in staff
    # Case data follows the case policy, which gives a platform operator nothing.
    assert "ACC-" not in client.get(url("cases_case_changelist")).text
    assert client.get(url("cases_case_change", service.case.pk)).status_code == 404
    events = client.get(url("audit_auditevent_changelist")).text
    assert "case.opened" not in events and "organisation.created" in events


# Cases, participants and audit events are read-only ----------------------------------------


def test_cases_are_read_only(client, service):
    admin_client(client, service.admin)
    case = service.case
    page = client.get(url("cases_case_change", case.pk))
    assert page.status_code == 200
    assert case.reference in page.text
    assert 'name="_save"' not in page.text
    response = client.post(url("cases_case_change", case.pk), {"title": "Changed"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.title == "Smith / Jones"
    assert client.get(url("cases_case_add")).status_code == 403


def test_a_confidential_address_is_withheld_from_the_admin(client, service):
    admin_client(client, service.admin)
    alice = Participant.objects.get(case=service.case, full_name="Alice Smith")
    bob = Participant.objects.get(case=service.case, full_name="Bob Jones")
    alice_page = client.get(url("cases_participant_change", alice.pk)).text
    assert "Hidden Lane" not in alice_page
    assert "Withheld: this is a confidential address" in alice_page
    assert "2 Open Road" in client.get(url("cases_participant_change", bob.pk)).text
    assert "Hidden Lane" not in client.get(url("cases_participant_changelist") + "?q=Smith").text


def test_restricted_audit_events_never_reach_the_admin(client, service):
    with transaction.atomic():
        secret = audit_record(
            organisation_id=service.organisation.pk,
            actor=service.safeguarding_lead,
            action="safeguarding.concern_raised",
            target=service.case,
            case_id=service.case.pk,
            visibility="restricted",
            details={"summary": "Sensitive disclosure"},
        )
    admin_client(client, service.admin)
    listing = client.get(url("audit_auditevent_changelist")).text
    assert "safeguarding.concern_raised" not in listing
    assert client.get(url("audit_auditevent_change", secret.pk)).status_code == 404
    visible = AuditEvent.objects.filter(organisation=service.organisation, visibility="case")[0]
    page = client.get(url("audit_auditevent_change", visible.pk))
    assert page.status_code == 200 and visible.hash in page.text


def test_audit_events_cannot_be_added_changed_or_deleted(client, service):
    admin_client(client, service.admin)
    event = AuditEvent.objects.filter(organisation=service.organisation)[0]
    count = AuditEvent.objects.count()
    assert client.get(url("audit_auditevent_add")).status_code == 403
    assert client.post(url("audit_auditevent_change", event.pk), {"action": "x"}).status_code == 403
    assert client.post(url("audit_auditevent_delete", event.pk), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == count


# Writes go through the services and are audited --------------------------------------------


def _events(service, action):
    return AuditEvent.objects.filter(organisation=service.organisation, action=action)


def test_changing_the_service_goes_through_the_service_and_is_audited(client, service):
    admin_client(client, service.admin)
    response = client.post(
        url("organisations_organisation_change", service.organisation.pk),
        {
            "name": "Riverside Mediation",
            "reference_prefix": "RIV",
            "region": "england-and-wales",
            "email": "hello@riverside.example",
            "phone": "0113 496 0000",
            "address": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=service.organisation.pk)
    assert (organisation.name, organisation.reference_prefix) == ("Riverside Mediation", "RIV")
    event = _events(service, "organisation.updated").get()
    assert event.actor_id == service.admin.pk
    assert event.details == {"fields": ["name", "reference_prefix", "email", "phone"]}


def test_bad_service_details_show_errors_and_save_nothing(client, service):
    admin_client(client, service.admin)
    response = client.post(
        url("organisations_organisation_change", service.organisation.pk),
        {"name": "Renamed", "reference_prefix": "r1", "region": "england-and-wales"},
    )
    assert response.status_code == 200
    assert "Use 2 to 8 capital letters, like ACC." in response.text
    assert Organisation.objects.get(pk=service.organisation.pk).name == "Riverside Family Mediation"
    assert not _events(service, "organisation.updated").exists()


def test_granting_a_role_goes_through_the_service(client, service):
    admin_client(client, service.admin)
    response = client.post(
        url("organisations_membership_add"),
        {
            "organisation": service.organisation.pk,
            "user": service.mediator2.pk,
            "role": Role.COORDINATOR,
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=service.mediator2, role=Role.COORDINATOR, is_active=True
    ).exists()
    event = _events(service, "membership.granted").latest("sequence")
    assert event.actor_id == service.admin.pk


def test_granting_a_held_role_again_is_a_form_error(client, service):
    admin_client(client, service.admin)
    before = AuditEvent.objects.count()
    response = client.post(
        url("organisations_membership_add"),
        {"organisation": service.organisation.pk, "user": service.mediator.pk, "role": "mediator"},
    )
    assert response.status_code == 200
    assert "already holds this role" in response.text
    assert AuditEvent.objects.count() == before


def test_only_the_own_services_staff_are_offered(client, service, other_service):
    admin_client(client, service.admin)
    page = client.get(url("organisations_membership_add")).text
    assert "ACC Trainee" in page
    assert "NOR " not in page and "Northern" not in page
    assert "Alice Smith" not in page  # parties are not staff
    before = Membership.objects.count()
    response = client.post(
        url("organisations_membership_add"),
        {
            "organisation": other_service.organisation.pk,
            "user": other_service.admin.pk,
            "role": Role.SERVICE_ADMIN,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Membership.objects.count() == before


def test_withdrawing_a_role_goes_through_the_service(client, service):
    admin_client(client, service.admin)
    membership = Membership.objects.get(user=service.coordinator, role=Role.COORDINATOR)
    response = client.post(
        url("organisations_membership_change", membership.pk), {"_save": "Save"}
    )  # an unticked box is absent from the form data
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False
    assert _events(service, "membership.revoked").get().actor_id == service.admin.pk


def test_the_last_service_admin_cannot_be_withdrawn(client, service):
    admin_client(client, service.admin)
    membership = Membership.objects.get(user=service.admin, role=Role.SERVICE_ADMIN)
    response = client.post(url("organisations_membership_change", membership.pk), {})
    assert response.status_code == 200
    assert "Make someone else a service admin first." in response.text
    membership.refresh_from_db()
    assert membership.is_active is True


def test_mediator_profiles_are_saved_through_the_service(client, service):
    admin_client(client, service.admin)
    profile = MediatorProfile.objects.get(user=service.mediator2)
    response = client.post(
        url("organisations_mediatorprofile_change", profile.pk),
        {"fmc_urn": "fmc-9876", "accreditation": "accredited", "supervisor": service.supervisor.pk},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.fmc_urn, profile.accreditation) == ("FMC-9876", "accredited")
    assert _events(service, "mediator_profile.saved").latest("sequence").actor_id == (
        service.admin.pk
    )


def test_a_supervisor_from_another_service_is_not_a_choice(client, service, other_service):
    admin_client(client, service.admin)
    profile = MediatorProfile.objects.get(user=service.mediator2)
    response = client.post(
        url("organisations_mediatorprofile_change", profile.pk),
        {"accreditation": "accredited", "supervisor": other_service.supervisor.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    profile.refresh_from_db()
    assert profile.accreditation == "provisional"
