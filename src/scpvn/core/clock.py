"""The app clock: the one answer to "what day is it" for every app.

`SCPVN_TODAY` (a setting, from the environment) pins the date, so a demo or a training looks at
the 2020 plan as it stood then, and the portal, trace, network and assessments agree with the
dashboard. Code that needs "today" calls `today()`; never `timezone.localdate()` or
`date.today()`, which ignore the setting.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    """The date the app treats as today: `SCPVN_TODAY` when set, else the real local date."""
    if settings.SCPVN_TODAY:
        return dt.date.fromisoformat(settings.SCPVN_TODAY)
    return timezone.localdate()


def now() -> dt.datetime:
    """The current instant as the app sees it: on the pinned date at the real time of day when
    `SCPVN_TODAY` is set (so "now" and "today" never disagree), else the real instant."""
    real = timezone.localtime()
    if settings.SCPVN_TODAY:
        return timezone.make_aware(dt.datetime.combine(today(), real.time().replace(tzinfo=None)))
    return real


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the project's time zone: what was approved by then."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))
