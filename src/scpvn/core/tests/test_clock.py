"""The app clock: SCPVN_TODAY pins today and now; without it the wall clock answers."""

import datetime as dt

from django.utils import timezone

from scpvn.core import clock


def test_pinned_date_governs_today_and_now(settings):
    settings.SCPVN_TODAY = "2020-06-15"
    assert clock.today() == dt.date(2020, 6, 15)
    assert timezone.localtime(clock.now()).date() == dt.date(2020, 6, 15)


def test_without_a_pin_the_wall_clock_answers(settings):
    settings.SCPVN_TODAY = ""
    assert clock.today() == timezone.localdate()
    assert abs(clock.now() - timezone.now()) < dt.timedelta(seconds=5)


def test_end_of_day_is_the_last_instant_of_the_local_day():
    end = timezone.localtime(clock.end_of_day(dt.date(2020, 6, 15)))
    assert (end.date(), end.hour, end.minute) == (dt.date(2020, 6, 15), 23, 59)
    assert timezone.localtime(end + dt.timedelta(microseconds=1)).date() == dt.date(2020, 6, 16)
