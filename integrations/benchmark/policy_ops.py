"""The policy engine's full decision, as the phone agent requests it."""

from integrations.benchmark.dataset import Dataset, book_appointments
from integrations.benchmark.measure import Result, count_queries, summarise, time_calls
from policies.engine import can_cancel


def can_cancel_decision(data: Dataset, iterations: int) -> Result:
    appointment = book_appointments(data, count=1)[0]
    appointment.refresh_from_db()
    can_cancel(appointment)

    def operation():
        return can_cancel(appointment)

    queries = count_queries(operation)
    result = summarise("can_cancel", time_calls(operation, iterations), queries)
    result.note = f"reason={operation().reason}"
    return result
