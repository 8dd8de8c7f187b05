"""The query schedule of an EPCIS scheduled subscription (EPCIS 1.2 §8.2.5.3, carried over
by the 2.0 REST binding as `schedule: {second, minute, hour, dayOfMonth, month, dayOfWeek}`).

Each field is a comma-separated list of numbers and ranges `[low-high]` (the standard's
syntax; `low-high` without brackets, `*`, and a step `start/step` as in the binding's own
example `"second": "0/30"` are taken too). A time matches when every field matches. An
omitted field finer than the coarsest field given stands at its first value, an omitted
coarser one takes any value: `{hour: 1, minute: 5}` runs once a day at 01:05:00 (as the
binding's example says), `{minute: 30}` once an hour at hh:30:00. Times are the server's
local time (TIME_ZONE). dayOfWeek is 1 (Monday) to 7 (Sunday).
"""

import datetime as dt
import re

from django.utils import timezone

# field → (lowest, highest), coarsest first
FIELDS = {
    "month": (1, 12),
    "dayOfMonth": (1, 31),
    "dayOfWeek": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# Order of significance for "finer than the coarsest given" (dayOfWeek counts as a day).
RANK = {"month": 0, "dayOfMonth": 1, "dayOfWeek": 1, "hour": 2, "minute": 3, "second": 4}
ELEMENT = re.compile(r"^(?:\[(\d+)-(\d+)\]|(\d+)-(\d+)|(\d+|\*)(?:/(\d+))?)$")
# A schedule that never matches (31 February) is found within this many days.
HORIZON_DAYS = 366 * 8


class ScheduleError(ValueError):
    """A schedule the repository cannot run (SubscriptionControlsException)."""


def _values(name: str, text) -> frozenset[int]:
    low, high = FIELDS[name]
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise ScheduleError(f'schedule.{name} phải là chuỗi như "5", "1,15" hoặc "[9-17]"')
    found: set[int] = set()
    for raw in text.split(","):
        match = ELEMENT.match(raw.strip())
        if not match:
            raise ScheduleError(f"schedule.{name}: không hiểu {raw.strip()!r}")
        a, b, c, d, single, step = match.groups()
        if single is not None:
            if step is not None and int(step) < 1:
                raise ScheduleError(f"schedule.{name}: bước phải lớn hơn 0")
            start = low if single == "*" else int(single)
            end = high if single == "*" or step else start
            numbers = range(start, end + 1, int(step) if step else 1)
        else:
            start, end = (int(a), int(b)) if a is not None else (int(c), int(d))
            if start > end:
                raise ScheduleError(f"schedule.{name}: khoảng {start}-{end} ngược")
            numbers = range(start, end + 1)
        if not numbers or numbers[0] < low or numbers[-1] > high:
            raise ScheduleError(f"schedule.{name}: giá trị phải từ {low} đến {high}")
        found.update(numbers)
    return frozenset(found)


def parse(schedule) -> dict[str, frozenset[int]]:
    """The set of values each field allows; ScheduleError for anything else."""
    if not isinstance(schedule, dict) or not schedule:
        raise ScheduleError("schedule phải là đối tượng có ít nhất một trường (vd. hour, minute)")
    unknown = sorted(set(schedule) - set(FIELDS))
    if unknown:
        raise ScheduleError(f"schedule không có trường {', '.join(unknown)}")
    coarsest = min(RANK[name] for name in schedule)
    allowed = {}
    for name, (low, high) in FIELDS.items():
        if name in schedule:
            allowed[name] = _values(name, schedule[name])
        elif RANK[name] > coarsest and name != "dayOfWeek":
            allowed[name] = frozenset({low})
        else:
            allowed[name] = frozenset(range(low, high + 1))
    return allowed


def next_run(schedule: dict, after: dt.datetime) -> dt.datetime | None:
    """The first time strictly after `after` that the schedule matches (aware, local time),
    or None if it never does (e.g. dayOfMonth 31 with month 2)."""
    allowed = parse(schedule)
    local = timezone.localtime(after).replace(microsecond=0) + dt.timedelta(seconds=1)
    day = local.date()
    for _ in range(HORIZON_DAYS):
        if (
            day.month in allowed["month"]
            and day.day in allowed["dayOfMonth"]
            and day.isoweekday() in allowed["dayOfWeek"]
        ):
            start = local.time() if day == local.date() else dt.time(0, 0, 0)
            for hour in sorted(allowed["hour"]):
                if hour < start.hour:
                    continue
                for minute in sorted(allowed["minute"]):
                    if (hour, minute) < (start.hour, start.minute):
                        continue
                    for second in sorted(allowed["second"]):
                        if (hour, minute, second) < (start.hour, start.minute, start.second):
                            continue
                        naive = dt.datetime.combine(day, dt.time(hour, minute, second))
                        return timezone.make_aware(naive)
        day += dt.timedelta(days=1)
    return None
