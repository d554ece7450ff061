"""Replay the shipped sample requests through the real webhook URLs.

The samples carry fixed dates, so the demo moves them to the coming days
before signing them with the company's keys, exactly as the providers sign.
"""

import copy
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_create
from integrations.demo.setup import CALLER_PHONE, LATE_CALLER_PHONE
from integrations.signatures import (
    CALCOM_HEADER,
    RETELL_HEADER,
    calcom_signature,
    retell_signature,
)
from tenants.models import Company, Customer, Staff

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SECOND_CALL_ID = "call_demo_second_caller_000000000001"


@dataclass
class Exchange:
    label: str
    status: int
    answer: dict


def load_sample(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _next_weekday(now: datetime, days_ahead: int) -> datetime:
    day = now + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


class DemoTraffic:
    """Signs and posts requests for one company and records the responses."""

    def __init__(self, company: Company, now: datetime) -> None:
        self.company = company
        self.now = now
        self.zone = ZoneInfo(company.branches.get(name="Downtown").time_zone)
        self.client = Client()
        self.exchanges: list[Exchange] = []

    def _post(self, label: str, url: str, body: dict, headers: dict) -> dict:
        raw = json.dumps(body).encode()
        response = self.client.generic(
            "POST", url, raw, content_type="application/json", headers=headers
        )
        answer = response.json() if response.content else {}
        self.exchanges.append(Exchange(label, response.status_code, answer))
        return answer

    def retell(self, label: str, body: dict, endpoint: str) -> dict:
        timestamp = int(time.time() * 1000)
        signature = retell_signature(
            json.dumps(body).encode(), self.company.retell_api_key, timestamp
        )
        url = reverse(f"integrations:retell-{endpoint}", args=[self.company.slug])
        return self._post(label, url, body, {RETELL_HEADER: signature})

    def calcom(self, label: str, body: dict) -> dict:
        signature = calcom_signature(
            json.dumps(body).encode(), self.company.calcom_secret
        )
        url = reverse("integrations:calcom-bookings", args=[self.company.slug])
        return self._post(label, url, body, {CALCOM_HEADER: signature})

    def local(self, day: datetime, clock: str) -> datetime:
        hour, minute = map(int, clock.split(":"))
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)


def _booking_lifecycle(traffic: DemoTraffic) -> None:
    """Send a Cal.com booking that is created, moved and finally cancelled."""
    first = traffic.local(_next_weekday(traffic.now, 4), "10:30")
    moved = traffic.local(_next_weekday(traffic.now, 8), "15:00")
    created = load_sample("calcom/booking_created.json")
    created["payload"]["startTime"] = _utc(first)
    created["payload"]["endTime"] = _utc(first + timedelta(minutes=45))
    traffic.calcom("Cal.com booking created", created)

    rescheduled = load_sample("calcom/booking_rescheduled.json")
    payload = rescheduled["payload"]
    payload["startTime"] = _utc(moved)
    payload["endTime"] = _utc(moved + timedelta(minutes=45))
    payload["rescheduleStartTime"] = _utc(first)
    payload["rescheduleEndTime"] = _utc(first + timedelta(minutes=45))
    traffic.calcom("Cal.com booking rescheduled", rescheduled)

    cancelled = load_sample("calcom/booking_cancelled.json")
    cancelled["payload"]["startTime"] = _utc(moved)
    cancelled["payload"]["endTime"] = _utc(moved + timedelta(minutes=45))
    traffic.calcom("Cal.com booking cancelled", cancelled)


def _phone_booking(traffic: DemoTraffic) -> Appointment:
    """Sam's colouring appointment that the phone call is about."""
    company = traffic.company
    starts = traffic.local(traffic.now + timedelta(days=1), "10:30")
    existing = Appointment.objects.filter(
        company=company, customer__phone=CALLER_PHONE, starts_at=starts
    ).first()
    if existing is not None:
        return existing
    return appointment_create(
        branch=company.branches.get(name="Downtown"),
        customer=Customer.objects.get(company=company, phone=CALLER_PHONE),
        service=company.services.get(name="Colouring"),
        staff=Staff.objects.get(company=company, name="Blair Stone"),
        starts_at=starts,
    )


def _first_call(traffic: DemoTraffic, appointment: Appointment) -> None:
    """Send Sam's call: a cancellation check, a move and a callback request."""
    local = appointment.starts_at.astimezone(traffic.zone)
    appointment_args = {
        "appointment_date": local.strftime("%Y-%m-%d"),
        "appointment_time": local.strftime("%H:%M"),
    }
    traffic.retell("call started", load_sample("retell/call_started.json"), "events")
    check = load_sample("retell/function_check_cancellation.json")
    check["args"] = appointment_args
    traffic.retell("check_cancellation", check, "functions")

    new_day = _next_weekday(local, 3)
    move = load_sample("retell/function_reschedule_appointment.json")
    move["args"] = {
        **appointment_args,
        "new_date": new_day.strftime("%Y-%m-%d"),
        "new_time": "15:00",
    }
    traffic.retell("reschedule_appointment", move, "functions")

    traffic.retell(
        "request_callback",
        load_sample("retell/function_request_callback.json"),
        "functions",
    )
    traffic.retell("call ended", load_sample("retell/call_ended.json"), "events")
    traffic.retell("call analyzed", load_sample("retell/call_analyzed.json"), "events")


def _second_call(traffic: DemoTraffic, late: Appointment) -> None:
    """Send Robin's cancellation of a haircut three hours ahead, too late."""
    local = late.starts_at.astimezone(traffic.zone)
    cancel = copy.deepcopy(load_sample("retell/function_cancel_appointment.json"))
    cancel["call"]["call_id"] = SECOND_CALL_ID
    cancel["call"]["from_number"] = LATE_CALLER_PHONE
    cancel["args"] = {
        "appointment_date": local.strftime("%Y-%m-%d"),
        "appointment_time": local.strftime("%H:%M"),
        "reason": "Running late",
    }
    traffic.retell("cancel_appointment (late)", cancel, "functions")


def demo_traffic_replay(
    company: Company, now: datetime, late: Appointment
) -> list[Exchange]:
    """Send the demo's webhook traffic and return every request's response."""
    traffic = DemoTraffic(company, now)
    _booking_lifecycle(traffic)
    _first_call(traffic, _phone_booking(traffic))
    _second_call(traffic, late)
    return traffic.exchanges
