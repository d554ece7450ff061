"""Sentences the phone agent reads aloud to the caller."""

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ActionWording:
    noun: str  # "Cancellations"
    participle: str  # "cancelled"
    offer: str  # "You can cancel"


CANCEL_WORDING = ActionWording("Cancellations", "cancelled", "You can cancel")
RESCHEDULE_WORDING = ActionWording(
    "Changes of time", "moved", "You can move this appointment"
)


def duration_text(hours: float) -> str:
    """Return `hours` as speech: "45 minutes", "1 hour", "5.5 hours".

    Rounds down, so a notice just short of a limit never reads as the limit.
    """
    if hours < 1:
        minutes = max(int(hours * 60), 0)
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    # The small term absorbs float error such as 2.9999999 for 3 tenths.
    tenths = math.floor(hours * 10 + 1e-9)
    number = f"{tenths / 10:g}"
    return "1 hour" if number == "1" else f"{number} hours"


def _channel(by_phone: bool) -> str:
    return " by phone" if by_phone else ""


def allowed(wording: ActionWording, fee: Decimal, currency: str) -> str:
    if fee > 0:
        return f"{wording.offer} for a fee of {fee} {currency}."
    return f"{wording.offer} free of charge."


def deadline_missed(
    wording: ActionWording, required: float, notice: float, by_phone: bool
) -> str:
    return (
        f"{wording.noun} need {duration_text(required)}' notice and this one has "
        f"{duration_text(notice)}, so it can't be {wording.participle}"
        f"{_channel(by_phone)}."
    )


def quota_exceeded(wording: ActionWording, used: int, maximum: int) -> str:
    return (
        f"{wording.noun} are limited to {maximum} in 30 days and this customer has "
        f"already made {used}, so this one can't be {wording.participle}."
    )


def max_reschedules_reached(count: int, maximum: int) -> str:
    times = "time" if count == 1 else "times"
    return (
        f"This appointment has already been moved {count} {times}, which is the "
        f"limit of {maximum}, so it can't be moved again."
    )


def not_allowed_by_phone(wording: ActionWording) -> str:
    return f"{wording.noun} can't be made by phone. Please contact the branch directly."


def outside_allowed_hours(wording: ActionWording) -> str:
    return (
        f"{wording.noun} by phone are only possible during set hours. Please "
        "call back then."
    )


def appointment_in_past(wording: ActionWording) -> str:
    return f"This appointment has already started, so it can't be {wording.participle}."


def new_time_in_past() -> str:
    return "The new time has already passed. Please choose a later time."


def already_cancelled() -> str:
    return "This appointment is already cancelled."


def superseded() -> str:
    return (
        "This appointment was moved to another time. Please change the new "
        "booking instead."
    )


def finished(status_label: str) -> str:
    return f"This appointment is marked {status_label.lower()} and can't be changed."
