from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, SentMessage
from notifications.quiet_hours import quiet_hours_end
from notifications.services.dispatch import notification_event_dispatch
from notifications.services.sending import delivery_send
from tenants import events
from tests.factories import BranchFactory, CustomerFactory, StaffFactory
from tests.notifications.factories import notify

NIGHT = {"start": "22:00", "end": "07:00"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 23:30 in Berlin (UTC+1 in January): held until 07:00 next morning.
        (utc(2026, 1, 14, 22, 30), utc(2026, 1, 15, 6, 0)),
        # 03:00 local, after midnight: held until 07:00 the same day.
        (utc(2026, 1, 15, 2, 0), utc(2026, 1, 15, 6, 0)),
        # 22:00 sharp is inside, 07:00 sharp is outside.
        (utc(2026, 1, 14, 21, 0), utc(2026, 1, 15, 6, 0)),
        (utc(2026, 1, 15, 6, 0), None),
        # Midday is outside.
        (utc(2026, 1, 15, 11, 0), None),
    ],
)
def test_quiet_hours_end_across_midnight(now, expected):
    assert quiet_hours_end(now, "Europe/Berlin", "22:00", "07:00") == expected


def test_quiet_hours_end_same_day_window():
    zone = "America/New_York"
    assert quiet_hours_end(utc(2026, 6, 1, 17, 0), zone, "12:00", "14:00") == utc(
        2026, 6, 1, 18, 0
    )
    assert quiet_hours_end(utc(2026, 6, 1, 19, 0), zone, "12:00", "14:00") is None


def test_quiet_hours_end_spring_forward_night():
    # New York moves from EST to EDT at 02:00 on 8 March 2026; the night from
    # 22:00 EST to 07:00 EDT lasts 8 real hours, not 9.
    start = utc(2026, 3, 8, 3, 0)  # 22:00 EST on 7 March
    end = quiet_hours_end(start, "America/New_York", "22:00", "07:00")
    assert end == utc(2026, 3, 8, 11, 0)
    assert end - start == timedelta(hours=8)


def test_quiet_hours_end_fall_back_night():
    # On 1 November 2026 New York returns to EST; the same night lasts 10 hours.
    start = utc(2026, 11, 1, 2, 0)  # 22:00 EDT on 31 October
    end = quiet_hours_end(start, "America/New_York", "22:00", "07:00")
    assert end == utc(2026, 11, 1, 12, 0)
    assert end - start == timedelta(hours=10)


def test_quiet_hours_end_inside_the_gap():
    # 02:30 does not exist on 8 March 2026 in New York; the window ends at
    # the first real instant after the jump, 03:30 EDT.
    start = utc(2026, 3, 8, 6, 0)  # 01:00 EST
    end = quiet_hours_end(start, "America/New_York", "00:00", "02:30")
    assert end == utc(2026, 3, 8, 7, 30)


# Dispatch tests pretend the event happens in 2099 so that the held delivery
# is still in the future for the task that runs at once in eager mode.
@pytest.mark.django_db(transaction=True)
class TestQuietHoursDelivery:
    def dispatch(self, staff, now, event_key="evt"):
        return notification_event_dispatch(
            events.CALLBACK_ASSIGNED,
            staff.company_id,
            {"callback_id": 1, "assignee_id": staff.pk},
            event_key,
            now=now,
        )

    def test_non_critical_is_held_in_branch_time_zone(self):
        branch = BranchFactory(time_zone="Asia/Tokyo")
        staff = StaffFactory(branch=branch, company=branch.company)
        notify(branch.company, events.CALLBACK_ASSIGNED, quiet_hours=NIGHT)
        now = utc(2099, 1, 15, 14, 0)  # 23:00 in Tokyo

        (delivery,) = self.dispatch(staff, now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.scheduled_for == utc(2099, 1, 15, 22, 0)  # 07:00 Tokyo
        assert SentMessage.objects.count() == 0

    def test_held_delivery_sends_when_window_ends(self):
        branch = BranchFactory(time_zone="Asia/Tokyo")
        staff = StaffFactory(branch=branch, company=branch.company)
        notify(branch.company, events.CALLBACK_ASSIGNED, quiet_hours=NIGHT)
        (delivery,) = self.dispatch(staff, utc(2099, 1, 15, 14, 0))
        assert SentMessage.objects.count() == 0
        # The window ends: the queued task arrives after its eta.
        Delivery.objects.filter(pk=delivery.pk).update(
            scheduled_for=timezone.now() - timedelta(seconds=1)
        )

        assert delivery_send(delivery.pk) == DeliveryStatus.SENT
        assert SentMessage.objects.count() == 1

    def test_critical_breaks_through(self):
        branch = BranchFactory(time_zone="Asia/Tokyo")
        staff = StaffFactory(branch=branch, company=branch.company)
        notify(
            branch.company,
            events.CALLBACK_ASSIGNED,
            quiet_hours=NIGHT,
            critical=True,
        )
        now = timezone.now()

        (delivery,) = self.dispatch(staff, now)

        delivery.refresh_from_db()
        assert delivery.scheduled_for == now
        assert delivery.status == DeliveryStatus.SENT
        assert SentMessage.objects.count() == 1

    def test_customer_uses_company_time_zone(self):
        branch = BranchFactory(time_zone="Asia/Tokyo")
        branch.company.time_zone = "America/Los_Angeles"
        branch.company.save()
        staff = StaffFactory(branch=branch, company=branch.company)
        customer = CustomerFactory(company=branch.company, email="c@example.com")
        notify(branch.company, events.APPOINTMENT_CANCELLED, quiet_hours=NIGHT)
        now = utc(2099, 1, 15, 7, 0)  # 23:00 in Los Angeles, 16:00 in Tokyo

        notification_event_dispatch(
            events.APPOINTMENT_CANCELLED,
            branch.company_id,
            {"customer_id": customer.pk, "staff_id": staff.pk, "branch_id": branch.pk},
            "evt",
            now=now,
        )

        waiting = Delivery.objects.get(recipient_type="customer")
        assert waiting.time_zone == "America/Los_Angeles"
        assert waiting.scheduled_for == utc(2099, 1, 15, 15, 0)  # 07:00 LA
        assert Delivery.objects.get(recipient_type="staff").scheduled_for == now

    def test_held_dispatch_queues_with_eta(self, monkeypatch):
        from notifications.tasks import send_delivery

        calls = []
        monkeypatch.setattr(
            send_delivery, "apply_async", lambda **kwargs: calls.append(kwargs)
        )
        branch = BranchFactory(time_zone="Asia/Tokyo")
        staff = StaffFactory(branch=branch, company=branch.company)
        notify(branch.company, events.CALLBACK_ASSIGNED, quiet_hours=NIGHT)

        (delivery,) = self.dispatch(staff, utc(2099, 1, 15, 14, 0))

        assert calls == [
            {"args": [delivery.pk], "eta": utc(2099, 1, 15, 22, 0), "countdown": None}
        ]
