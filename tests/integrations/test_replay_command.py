"""`replay_webhooks` signs request files and sends them to a running server."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from appointments.models import Appointment
from integrations.models import Call, WebhookEvent
from tests.integrations.signing import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


def replay(live_server, *files, **options) -> str:
    out = StringIO()
    call_command(
        "replay_webhooks",
        *[str(FIXTURES / name) for name in files],
        url=live_server.url,
        company="studio",
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_replay_sends_signed_requests(live_server, studio):
    output = replay(
        live_server,
        "retell/call_started.json",
        "retell/call_ended.json",
        "calcom/booking_created.json",
        "retell/function_check_cancellation.json",
    )

    lines = output.splitlines()
    assert lines[0].startswith('call_started.json -> 200 {"status": "accepted"')
    assert lines[1].startswith('call_ended.json -> 200 {"status": "accepted"')
    assert lines[2].startswith('booking_created.json -> 200 {"status": "accepted"')
    assert lines[3].startswith('function_check_cancellation.json -> 200 {"result": ')
    assert WebhookEvent.objects.count() == 4
    assert Call.objects.get().status == "ended"
    assert Appointment.objects.get().external_uid == "bk8Qm2ZrT4vN6pL1sX9aYc"


def test_replay_again_reports_duplicates(live_server, studio):
    replay(live_server, "retell/call_started.json")

    output = replay(live_server, "retell/call_started.json")

    assert '-> 200 {"status": "duplicate"' in output
    assert WebhookEvent.objects.count() == 1


def test_replay_with_wrong_key_fails(live_server, studio):
    with pytest.raises(CommandError, match="1 of 1 requests failed"):
        replay(live_server, "retell/call_started.json", retell_key="wrong")

    assert WebhookEvent.objects.count() == 0


def test_replay_unknown_company_without_key_fails(live_server, studio):
    with pytest.raises(CommandError, match="No retell_api_key for company 'ghost'"):
        call_command(
            "replay_webhooks",
            str(FIXTURES / "retell/call_started.json"),
            url=live_server.url,
            company="ghost",
        )


def test_replay_rejects_unknown_file_shape(live_server, studio, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')

    with pytest.raises(CommandError, match="neither a Cal.com event"):
        call_command(
            "replay_webhooks", str(path), url=live_server.url, company="studio"
        )


def test_replay_unreachable_server_fails(studio):
    with pytest.raises(CommandError, match="Cannot reach"):
        call_command(
            "replay_webhooks",
            str(FIXTURES / "retell/call_started.json"),
            url="http://127.0.0.1:9",
            company="studio",
        )
