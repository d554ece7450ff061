"""Request signatures of Retell and Cal.com, computed over the raw body bytes.

Retell sends `X-Retell-Signature: v=<unix time in ms>,d=<hex digest>`, where
the digest is HMAC-SHA256 keyed with the tenant's Retell API key over the body
followed directly by the decimal timestamp. Cal.com sends
`X-Cal-Signature-256: <hex digest>`, HMAC-SHA256 of the body keyed with the
webhook secret, and no timestamp.
"""

import hashlib
import hmac
import re
import time
from dataclasses import dataclass

RETELL_HEADER = "X-Retell-Signature"
CALCOM_HEADER = "X-Cal-Signature-256"

# Retell accepts a signature made at most this long before or after now.
RETELL_WINDOW_MS = 5 * 60 * 1000

_RETELL_FORMAT = re.compile(r"v=(?P<timestamp>[0-9]{1,16}),d=(?P<digest>[0-9a-f]{64})")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SignatureError(Exception):
    """A rejected signature; `reason` is a stable code, `message` is for humans."""

    reason: str
    message: str

    def __str__(self) -> str:
        return self.message


def _hmac_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def retell_signature(body: bytes, api_key: str, timestamp_ms: int) -> str:
    """Return the `X-Retell-Signature` value for `body` signed at `timestamp_ms`."""
    digest = _hmac_hex(api_key, body + str(timestamp_ms).encode())
    return f"v={timestamp_ms},d={digest}"


def calcom_signature(body: bytes, secret: str) -> str:
    """Return the `X-Cal-Signature-256` value for `body`."""
    return _hmac_hex(secret, body)


def verify_retell(
    body: bytes, header: str | None, api_key: str, now_ms: int | None = None
) -> None:
    """Raise SignatureError unless `header` is Retell's signature of `body`."""
    if not header:
        raise SignatureError(
            "signature_missing", f"The {RETELL_HEADER} header is missing."
        )
    match = _RETELL_FORMAT.fullmatch(header)
    if match is None:
        raise SignatureError(
            "signature_malformed",
            f"The {RETELL_HEADER} header must read v=<unix time in ms>,d=<64 "
            "lower-case hex digits>.",
        )
    timestamp_ms = int(match["timestamp"])
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - timestamp_ms) > RETELL_WINDOW_MS:
        raise SignatureError(
            "signature_stale",
            "The signature timestamp is more than 5 minutes from the server time.",
        )
    expected = _hmac_hex(api_key, body + match["timestamp"].encode())
    if not hmac.compare_digest(expected, match["digest"]):
        raise SignatureError("signature_invalid", "The signature does not match.")


def verify_calcom(body: bytes, header: str | None, secret: str) -> None:
    """Raise SignatureError unless `header` is Cal.com's signature of `body`."""
    if not header:
        raise SignatureError(
            "signature_missing", f"The {CALCOM_HEADER} header is missing."
        )
    if _HEX_DIGEST.fullmatch(header) is None:
        raise SignatureError(
            "signature_malformed",
            f"The {CALCOM_HEADER} header must be 64 lower-case hex digits.",
        )
    if not hmac.compare_digest(calcom_signature(body, secret), header):
        raise SignatureError("signature_invalid", "The signature does not match.")
