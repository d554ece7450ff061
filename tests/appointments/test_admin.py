from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment, AppointmentModification, AppointmentStatus
from policies.models import PolicyConfiguration
from tenants.configuration.services import config_set
from tenants.models import Role
from tests.appointments.factories import AppointmentFactory, ModificationFactory
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:appointments_appointment_changelist"


def _change_url(appointment: Appointment) -> str:
    return reverse("admin:appointments_appointment_change", args=[appointment.pk])


@pytest.fixture
def own_staff():
    return StaffFactory()


@pytest.fixture
def other_staff():
    return StaffFactory()


@pytest.fixture
def member_client(client, own_staff):
    membership = MembershipFactory(company=own_staff.company)
    client.force_login(membership.user)
    return client


def _book(staff, count=1, **fields):
    return [
        AppointmentFactory(
            company=staff.company,
            branch=staff.branch,
            staff=staff,
            starts_at=timezone.now() + timedelta(days=2, hours=index),
            **fields,
        )
        for index in range(count)
    ]


def test_appointment_changelist_shows_only_own_company(
    member_client, own_staff, other_staff
):
    own = _book(own_staff, 3)
    _book(other_staff, 2)

    response = member_client.get(reverse(CHANGELIST))

    listed = sorted(obj.pk for obj in response.context["cl"].result_list)
    assert response.status_code == 200
    assert listed == sorted(a.pk for a in own)
    assert response.context["cl"].result_count == 3


def test_appointment_change_other_company_404(member_client, other_staff):
    [foreign] = _book(other_staff)

    response = member_client.get(_change_url(foreign))
    posted = member_client.post(_change_url(foreign), {"status": "completed"})

    assert response.status_code == 404
    assert posted.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == AppointmentStatus.BOOKED


def test_appointment_filters_list_own_choices(member_client, own_staff, other_staff):
    second = StaffFactory(branch__company=own_staff.company)
    _book(own_staff)
    _book(second)
    _book(other_staff)

    response = member_client.get(reverse(CHANGELIST))

    specs = response.context["cl"].filter_specs
    filters = {spec.field_path: spec for spec in specs}
    branch_choices = sorted(label for _pk, label in filters["branch"].lookup_choices)
    staff_choices = sorted(label for _pk, label in filters["staff"].lookup_choices)
    assert branch_choices == sorted([own_staff.branch.name, second.branch.name])
    assert staff_choices == sorted([own_staff.name, second.name])


def test_appointment_changelist_constant_queries(member_client, own_staff):
    _book(own_staff, 3)
    with CaptureQueriesContext(connection) as few:
        member_client.get(reverse(CHANGELIST))
    _book(own_staff, 17)

    with CaptureQueriesContext(connection) as many:
        response = member_client.get(reverse(CHANGELIST))

    assert response.context["cl"].result_count == 20
    assert len(many) == len(few)


def test_appointment_change_shows_decision_panel(member_client, own_staff):
    [appointment] = _book(own_staff)
    config_set(
        PolicyConfiguration,
        own_staff.branch,
        "cancellation",
        {"hours_before": 72, "fee": 12},
    )
    ModificationFactory(appointment=appointment, actor="earlier-change")

    response = member_client.get(_change_url(appointment))

    html = response.content.decode()
    assert response.status_code == 200
    assert "deadline_missed" in html
    assert "Cancellations need 72 hours&#x27; notice" in html
    assert "12.00 USD" in html
    assert "hours_before from branch" in html
    assert "You can move this appointment free of charge." in html
    assert "earlier-change" in html


def test_appointment_form_rejects_cancelled_status(member_client, own_staff):
    [appointment] = _book(own_staff)
    page = member_client.get(_change_url(appointment))
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        {
            "starts_at_0": appointment.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": appointment.starts_at.strftime("%H:%M:%S"),
            "ends_at_0": appointment.ends_at.strftime("%Y-%m-%d"),
            "ends_at_1": appointment.ends_at.strftime("%H:%M:%S"),
            "status": "cancelled",
            "modifications-TOTAL_FORMS": "0",
            "modifications-INITIAL_FORMS": "0",
        }
    )

    response = member_client.post(_change_url(appointment), data)

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert form.errors["status"] == [
        "Status cancelled is set by the cancel or reschedule action, which checks "
        "the policy and records the change; use the 'Cancel within policy' action "
        "instead."
    ]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_appointment_cancel_action_skips_other_company(
    member_client, own_staff, other_staff
):
    config_set(
        PolicyConfiguration, own_staff.company, "cancellation", {"hours_before": 30}
    )
    allowed, _ = _book(own_staff, 2)
    late = AppointmentFactory(
        company=own_staff.company,
        branch=own_staff.branch,
        starts_at=timezone.now() + timedelta(hours=3),
    )
    [foreign] = _book(other_staff)

    response = member_client.post(
        reverse(CHANGELIST),
        {
            "action": "cancel_within_policy",
            "_selected_action": [allowed.pk, late.pk, foreign.pk],
        },
        follow=True,
    )

    statuses = dict(Appointment.objects.values_list("pk", "status"))
    shown = [str(message) for message in response.context["messages"]]
    assert statuses[allowed.pk] == AppointmentStatus.CANCELLED
    assert statuses[late.pk] == AppointmentStatus.BOOKED
    assert statuses[foreign.pk] == AppointmentStatus.BOOKED
    assert AppointmentModification.objects.count() == 1
    assert shown[0] == "Cancelled 1 appointment(s)."
    assert shown[1].startswith(f"Not cancelled {late.pk}: Cancellations need 30 hours")
    assert len(shown) == 2


def test_appointment_cancel_action_hidden_from_agents(client, own_staff):
    membership = MembershipFactory(company=own_staff.company, role=Role.AGENT)
    client.force_login(membership.user)
    [appointment] = _book(own_staff)

    page = client.get(reverse(CHANGELIST))
    response = client.post(
        reverse(CHANGELIST),
        {"action": "cancel_within_policy", "_selected_action": [appointment.pk]},
    )

    assert page.status_code == 200
    assert "cancel_within_policy" not in page.content.decode()
    assert response.status_code in (200, 302)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert AppointmentModification.objects.count() == 0
