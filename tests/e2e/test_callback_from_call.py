"""A Retell `request_callback` call travels through the worker to the assignee.

The signed function call comes in through the real URL, the worker process
assigns the new request, the assignee's notification is recorded by the
development backend, and the admin queue shows the request only inside its
company.
"""

import pytest
from django.test import Client
from django.urls import reverse

from callbacks.models import CallbackRequest, CallbackStatusChange, Status
from notifications.models import Delivery, DeliveryStatus, SentMessage
from tenants import events
from tenants.models import Role
from tests.callbacks.factories import CallbackRequestFactory
from tests.factories import BranchFactory, MembershipFactory
from tests.integrations.signing import fixture_body, functions_url, post_retell
from tests.notifications.factories import notify
from tests.waiting import settle, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CHANGELIST = reverse("admin:callbacks_callbackrequest_changelist")


def test_request_callback_reaches_assignee_and_queue(studio, live_worker):
    studio.staff.phone = "+12025550111"
    studio.staff.save()
    notify(studio.company, events.CALLBACK_ASSIGNED, channel="sms")
    other_branch = BranchFactory()
    other_callback = CallbackRequestFactory(branch=other_branch)
    own_manager = Client()
    own_manager.force_login(
        MembershipFactory(company=studio.company, role=Role.MANAGER).user
    )
    other_manager = Client()
    other_manager.force_login(
        MembershipFactory(company=other_branch.company, role=Role.MANAGER).user
    )
    body = fixture_body("retell/function_request_callback.json")

    response = post_retell(Client(), functions_url(), body)

    assert response.status_code == 200
    assert response.json()["result"] == "created"
    callback = CallbackRequest.objects.get(company=studio.company)
    wait_for(SentMessage.objects.exists)
    settle(lambda: SentMessage.objects.count() == 1)
    callback.refresh_from_db()
    assert callback.status == Status.ASSIGNED
    assert callback.assignee_id == studio.staff.pk
    assert list(
        CallbackStatusChange.objects.filter(callback=callback).values_list(
            "from_status", "to_status"
        )
    ) == [("", Status.PENDING), (Status.PENDING, Status.ASSIGNED)]
    delivery = Delivery.objects.get()
    assert delivery.event_type == events.CALLBACK_ASSIGNED
    assert delivery.recipient_id == studio.staff.pk
    assert delivery.status == DeliveryStatus.SENT
    message = SentMessage.objects.get()
    assert message.company_id == studio.company.pk
    assert message.delivery_id == delivery.pk
    assert message.channel == "sms"
    assert message.to == "+12025550111"

    own_page = own_manager.get(CHANGELIST)
    other_page = other_manager.get(CHANGELIST)

    assert own_page.status_code == 200
    assert list(own_page.context["cl"].result_list) == [callback]
    assert callback.reference in own_page.content.decode()
    assert other_page.status_code == 200
    assert list(other_page.context["cl"].result_list) == [other_callback]
    assert callback.reference not in other_page.content.decode()
    change_url = reverse("admin:callbacks_callbackrequest_change", args=[callback.pk])
    assert other_manager.get(change_url).status_code == 404
