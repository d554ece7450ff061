import pytest

from integrations.signatures import (
    SignatureError,
    calcom_signature,
    retell_signature,
    verify_calcom,
    verify_retell,
)

VECTOR_BODY = b'{"event":"call_ended"}'
VECTOR_DIGEST = "07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e"
VECTOR_HEADER = f"v=1700000000000,d={VECTOR_DIGEST}"
CALCOM_BODY = (
    b'{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-01T00:00:00.000Z",'
    b'"payload":{"uid":"bk_test"}}'
)
CALCOM_DIGEST = "14398033febe14473125e6fe710fe6c22b1fefba8f6000706142bc73f2784c93"


def reason_of(call) -> str:
    with pytest.raises(SignatureError) as caught:
        call()
    return caught.value.reason


def test_retell_signature_matches_sdk_vector():
    assert retell_signature(VECTOR_BODY, "test-api-key", 1700000000000) == (
        VECTOR_HEADER
    )


def test_verify_retell_accepts_vector_within_window():
    four_minutes_later = 1700000000000 + 4 * 60 * 1000
    verify_retell(VECTOR_BODY, VECTOR_HEADER, "test-api-key", now_ms=four_minutes_later)


@pytest.mark.parametrize("offset_ms", [5 * 60 * 1000 + 1, -(5 * 60 * 1000 + 1)])
def test_verify_retell_rejects_stale_timestamp(offset_ms):
    now = 1700000000000 + offset_ms
    reason = reason_of(
        lambda: verify_retell(VECTOR_BODY, VECTOR_HEADER, "test-api-key", now_ms=now)
    )
    assert reason == "signature_stale"


@pytest.mark.parametrize(
    "header",
    [
        VECTOR_DIGEST,
        f"v=1700000000000, d={VECTOR_DIGEST}",
        f"d={VECTOR_DIGEST},v=1700000000000",
        f"v=1700000000000,d={VECTOR_DIGEST.upper()}",
        f"v=1700000000000,d={VECTOR_DIGEST[:-1]}",
        f"v=abc,d={VECTOR_DIGEST}",
        f"v=1700000000000,d={VECTOR_DIGEST},x=1",
        f" v=1700000000000,d={VECTOR_DIGEST}",
    ],
)
def test_verify_retell_rejects_malformed_header(header):
    reason = reason_of(
        lambda: verify_retell(VECTOR_BODY, header, "test-api-key", now_ms=1700000000000)
    )
    assert reason == "signature_malformed"


@pytest.mark.parametrize("header", [None, ""])
def test_verify_retell_rejects_missing_header(header):
    reason = reason_of(lambda: verify_retell(VECTOR_BODY, header, "test-api-key"))
    assert reason == "signature_missing"


def test_verify_retell_rejects_other_key():
    reason = reason_of(
        lambda: verify_retell(
            VECTOR_BODY, VECTOR_HEADER, "other-key", now_ms=1700000000000
        )
    )
    assert reason == "signature_invalid"


def test_verify_retell_rejects_changed_body():
    reason = reason_of(
        lambda: verify_retell(
            VECTOR_BODY + b" ", VECTOR_HEADER, "test-api-key", now_ms=1700000000000
        )
    )
    assert reason == "signature_invalid"


def test_calcom_signature_matches_vector():
    assert calcom_signature(CALCOM_BODY, "test-secret") == CALCOM_DIGEST


def test_verify_calcom_accepts_vector():
    verify_calcom(CALCOM_BODY, CALCOM_DIGEST, "test-secret")


def test_verify_calcom_rejects_other_secret():
    reason = reason_of(lambda: verify_calcom(CALCOM_BODY, CALCOM_DIGEST, "other"))
    assert reason == "signature_invalid"


@pytest.mark.parametrize(
    "header", [f"sha256={CALCOM_DIGEST}", CALCOM_DIGEST.upper(), "no-secret-provided"]
)
def test_verify_calcom_rejects_malformed_header(header):
    reason = reason_of(lambda: verify_calcom(CALCOM_BODY, header, "test-secret"))
    assert reason == "signature_malformed"


def test_verify_calcom_rejects_missing_header():
    reason = reason_of(lambda: verify_calcom(CALCOM_BODY, None, "test-secret"))
    assert reason == "signature_missing"
