"""CSV export of the queue exactly as filtered, streamed row by row."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

COLUMNS = [
    ("reference", "reference"),
    ("status", "status"),
    ("priority", "priority"),
    ("name", "name"),
    ("phone", "phone"),
    ("email", "email"),
    ("branch", "branch__name"),
    ("service", "service__name"),
    ("assignee", "assignee__name"),
    ("source", "source"),
    ("created_at", "created_at"),
    ("due_at", "due_at"),
    ("assigned_at", "assigned_at"),
    ("contacted_at", "contacted_at"),
    ("completed_at", "completed_at"),
    ("escalation_level", "escalation_level"),
    ("notes", "notes"),
]
# Spreadsheets run cells that start with these as formulas. Callers choose
# their own names and notes, so such free-text cells get a leading quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FREE_TEXT = frozenset({"name", "email", "branch", "service", "assignee", "notes"})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(header: str, value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if header in FREE_TEXT and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _rows(queryset) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([header for header, _ in COLUMNS])
    values = queryset.values_list(*[lookup for _, lookup in COLUMNS])
    for row in values.iterator(chunk_size=2000):
        cells = [
            _cell(header, value)
            for (header, _), value in zip(COLUMNS, row, strict=True)
        ]
        yield writer.writerow(cells)


def csv_response(queryset) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_rows(queryset), content_type="text/csv")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="callbacks-{stamp}.csv"'
    return response
