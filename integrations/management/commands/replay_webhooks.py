"""Send saved webhook requests to a running instance, signed as the providers sign.

The endpoint of each file follows from its body: a Cal.com booking event has
`triggerEvent`, a Retell in-call function has `name` and `args`, and a Retell
call event has `event` and `call`.
"""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.signatures import (
    CALCOM_HEADER,
    RETELL_HEADER,
    calcom_signature,
    retell_signature,
)
from tenants.models import Company


def endpoint_of(body: dict) -> str:
    """Return "calcom", "functions" or "events" for a decoded request body."""
    if "triggerEvent" in body:
        return "calcom"
    if "name" in body and "args" in body:
        return "functions"
    if "event" in body and "call" in body:
        return "events"
    raise ValueError(
        "the body is neither a Cal.com event (triggerEvent), a Retell function "
        "call (name, args) nor a Retell call event (event, call)"
    )


class Command(BaseCommand):
    help = "Send webhook request files to a running instance with valid signatures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="JSON request files.")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Base URL of the running instance.",
        )
        parser.add_argument("--company", required=True, help="Company slug.")
        parser.add_argument(
            "--retell-key",
            help="Retell API key to sign with; default: the company's stored key.",
        )
        parser.add_argument(
            "--calcom-secret",
            help="Cal.com secret to sign with; default: the company's stored one.",
        )
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="Seconds to wait per request."
        )

    def handle(self, *args, **options) -> None:
        requests = [self._prepare(path, options) for path in options["files"]]
        failures = 0
        for path, url, body, sign in requests:
            # Signed just before sending, so the request stays inside Retell's
            # 5-minute window however long the earlier requests took.
            status, answer = self._send(url, body, sign(body), options["timeout"])
            self.stdout.write(f"{path.name} -> {status} {answer}")
            if not 200 <= status < 300:
                failures += 1
        if failures:
            raise CommandError(f"{failures} of {len(requests)} requests failed.")

    def _prepare(
        self, path: Path, options: dict
    ) -> tuple[Path, str, bytes, Callable[[bytes], dict[str, str]]]:
        try:
            body = path.read_bytes()
            kind = endpoint_of(json.loads(body))
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file: {error}") from error
        except ValueError as error:
            raise CommandError(f"{path}: {error}") from error
        base = options["url"].rstrip("/")
        slug = options["company"]
        if kind == "calcom":
            secret = self._key(options["calcom_secret"], slug, "calcom_secret")

            def sign_calcom(data: bytes) -> dict[str, str]:
                return {CALCOM_HEADER: calcom_signature(data, secret)}

            return path, f"{base}/webhooks/calcom/{slug}/", body, sign_calcom
        key = self._key(options["retell_key"], slug, "retell_api_key")

        def sign_retell(data: bytes) -> dict[str, str]:
            now_ms = int(time.time() * 1000)
            return {RETELL_HEADER: retell_signature(data, key, now_ms)}

        return path, f"{base}/webhooks/retell/{slug}/{kind}/", body, sign_retell

    def _key(self, given: str | None, slug: str, field: str) -> str:
        if given:
            return given
        stored = Company.objects.filter(slug=slug).values_list(field, flat=True).first()
        if not stored:
            option = "--retell-key" if field == "retell_api_key" else "--calcom-secret"
            raise CommandError(
                f"No {field} for company {slug!r} in this database; pass {option}."
            )
        return stored

    def _send(
        self, url: str, body: bytes, headers: dict, timeout: float
    ) -> tuple[int, str]:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, TimeoutError) as error:
            raise CommandError(f"Cannot reach {url}: {error}") from error
