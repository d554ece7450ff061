"""Malformed bodies and headers never cause a server error or a processed event.

Bodies are signed with the company's key, so they reach the parser instead
of stopping at the signature check; separate cases fuzz the headers.
"""

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from integrations.handlers import HANDLERS
from integrations.models import EventStatus, WebhookEvent
from integrations.services.inbox import webhook_event_process
from tests.integrations.signing import (
    calcom_headers,
    calcom_url,
    events_url,
    fixture_body,
    functions_url,
    retell_headers,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=700,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACCEPTABLE = {200, 400, 401, 413}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def mutated(sample: dict, draw) -> dict:
    """Replace, drop or retype parts of a real request."""
    data = json.loads(json.dumps(sample))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        target = data
        path = []
        while isinstance(target, dict) and target and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(target)))
            path.append(key)
            if not isinstance(target[key], dict):
                break
            target = target[key]
        if not isinstance(target, dict) or not target:
            continue
        key = draw(st.sampled_from(sorted(target)))
        if draw(st.booleans()):
            del target[key]
        else:
            target[key] = draw(json_values)
    return data


def same_type_value(value, draw):
    if isinstance(value, bool):
        return draw(st.booleans())
    if isinstance(value, int):
        return draw(st.integers(min_value=-(2**40), max_value=2**50))
    if isinstance(value, float):
        return draw(st.floats(allow_nan=False, allow_infinity=False))
    if isinstance(value, str):
        return draw(st.text(max_size=60) | st.from_regex(r"\+?[0-9 ()-]{0,16}"))
    return value


def retyped_leaves(sample: dict, draw) -> dict:
    """Give some leaves of a real request other values of the same type."""
    data = json.loads(json.dumps(sample))

    def walk(node):
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, dict | list):
                walk(value)
            elif draw(st.integers(min_value=0, max_value=5)) == 0:
                node[key] = same_type_value(value, draw)

    walk(data)
    return data


def bodies(sample_names: list[str]):
    samples = [json.loads(fixture_body(name)) for name in sample_names]

    @st.composite
    def body(draw) -> bytes:
        kind = draw(st.integers(min_value=0, max_value=5))
        if kind == 0:
            return draw(st.binary(max_size=300))
        if kind == 1:
            return json.dumps(draw(json_values)).encode()
        sample = draw(st.sampled_from(samples))
        data = mutated(sample, draw) if kind < 4 else retyped_leaves(sample, draw)
        text = json.dumps(data, ensure_ascii=draw(st.booleans()))
        return text.encode("utf-8", "surrogatepass")

    return body()


def check_response(response, before: int) -> None:
    event(f"status {response.status_code}")
    assert response.status_code in ACCEPTABLE, response.content[:300]
    assert response["Content-Type"] == "application/json"
    if response.status_code != 200:
        assert set(response.json()) == {"error", "message"}
        assert WebhookEvent.objects.count() == before


def process_stored() -> None:
    """Run the handlers of accepted events; they record failures, never raise."""
    for event_id in WebhookEvent.objects.filter(
        status=EventStatus.RECEIVED
    ).values_list("pk", flat=True):
        status = webhook_event_process(event_id, HANDLERS)
        assert status in {
            EventStatus.PROCESSED,
            EventStatus.FAILED,
            EventStatus.IGNORED,
        }


RETELL_EVENT_SAMPLES = [
    "retell/call_started.json",
    "retell/call_ended.json",
    "retell/call_analyzed.json",
]
FUNCTION_SAMPLES = [
    "retell/function_request_callback.json",
    "retell/function_check_cancellation.json",
    "retell/function_cancel_appointment.json",
    "retell/function_reschedule_appointment.json",
]
CALCOM_SAMPLES = [
    "calcom/booking_created.json",
    "calcom/booking_rescheduled.json",
    "calcom/booking_cancelled.json",
]


@FUZZ
@given(body=bodies(RETELL_EVENT_SAMPLES))
def test_fuzz_retell_events(client, studio, body):
    before = WebhookEvent.objects.count()

    response = client.post(
        events_url(),
        body,
        content_type="application/json",
        headers=retell_headers(body),
    )

    check_response(response, before)
    process_stored()


@FUZZ
@given(body=bodies(FUNCTION_SAMPLES))
def test_fuzz_retell_functions(client, studio, body):
    before = WebhookEvent.objects.count()

    response = client.post(
        functions_url(),
        body,
        content_type="application/json",
        headers=retell_headers(body),
    )

    check_response(response, before)
    if response.status_code == 200:
        stored = WebhookEvent.objects.filter(kind="function_call")
        assert not stored.filter(status=EventStatus.FAILED).exists()


@FUZZ
@given(body=bodies(CALCOM_SAMPLES))
def test_fuzz_calcom(client, studio, body):
    before = WebhookEvent.objects.count()

    response = client.post(
        calcom_url(),
        body,
        content_type="application/json",
        headers=calcom_headers(body),
    )

    check_response(response, before)
    process_stored()


header_values = st.text(max_size=120).filter(lambda value: "\n" not in value)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    retell=header_values,
    calcom=header_values,
    content_type=st.sampled_from(["application/json", "text/plain", "", "x/y"]),
)
def test_fuzz_signature_headers(client, studio, retell, calcom, content_type):
    body = fixture_body("retell/call_started.json")
    booking = fixture_body("calcom/booking_created.json")

    responses = [
        client.post(
            url, body, content_type=content_type, headers={"X-Retell-Signature": retell}
        )
        for url in (events_url(), functions_url())
    ]
    responses.append(
        client.post(
            calcom_url(),
            booking,
            content_type=content_type,
            headers={"X-Cal-Signature-256": calcom},
        )
    )

    assert [r.status_code for r in responses] == [401, 401, 401]
    assert WebhookEvent.objects.count() == 0
