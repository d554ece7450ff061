from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from callbacks.hours import intervals_of_day, works_during

NEW_YORK = ZoneInfo("America/New_York")
NIGHT_SHIFT = {"sun": [["00:00", "06:00"]]}


def test_hours_interval_on_dst_day_is_short():
    # Clocks go from 02:00 to 03:00 on Sunday 10 March 2030.
    day = datetime(2030, 3, 10).date()

    ((opens, closes),) = intervals_of_day(NIGHT_SHIFT, day, NEW_YORK)

    assert opens == datetime(2030, 3, 10, 5, 0, tzinfo=UTC)
    assert closes == datetime(2030, 3, 10, 10, 0, tzinfo=UTC)
    assert (closes - opens).total_seconds() == 5 * 3600


def test_hours_works_during_point_in_shift():
    inside = datetime(2030, 3, 10, 9, 30, tzinfo=UTC)  # 05:30 EDT
    after = datetime(2030, 3, 10, 10, 0, tzinfo=UTC)  # 06:00 EDT

    assert works_during(NIGHT_SHIFT, NEW_YORK, inside) is True
    assert works_during(NIGHT_SHIFT, NEW_YORK, after) is False


def test_hours_works_during_window_overlap():
    # Saturday 23:00 to Sunday 00:30 local overlaps the start of the shift.
    starts = datetime(2030, 3, 10, 4, 0, tzinfo=UTC)
    ends = datetime(2030, 3, 10, 5, 30, tzinfo=UTC)

    assert works_during(NIGHT_SHIFT, NEW_YORK, starts, ends) is True
    assert works_during(NIGHT_SHIFT, NEW_YORK, starts, starts) is False


def test_hours_day_until_midnight():
    hours = {"mon": [["22:00", "24:00"]]}
    day = datetime(2030, 3, 4).date()

    ((opens, closes),) = intervals_of_day(hours, day, NEW_YORK)

    assert opens == datetime(2030, 3, 5, 3, 0, tzinfo=UTC)
    assert closes == datetime(2030, 3, 5, 5, 0, tzinfo=UTC)
