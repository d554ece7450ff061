"""Delay before a retry, from the configured strategy."""


def retry_delay(retry_number: int, base_seconds: int, strategy: str, cap: int) -> int:
    """Return the seconds to wait before retry `retry_number` (1 for the first).

    exponential: base, 2*base, 4*base...; linear: base, 2*base, 3*base...;
    constant: base every time. The result never exceeds `cap`.
    """
    if retry_number < 1:
        raise ValueError(f"retry_number must be 1 or more, not {retry_number}")
    if strategy == "exponential":
        delay = base_seconds * 2 ** (retry_number - 1)
    elif strategy == "linear":
        delay = base_seconds * retry_number
    elif strategy == "constant":
        delay = base_seconds
    else:
        raise ValueError(
            f"{strategy!r} is not a backoff strategy; use exponential, linear or "
            "constant"
        )
    return min(delay, cap)
