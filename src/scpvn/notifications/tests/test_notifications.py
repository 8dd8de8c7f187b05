"""Notifications as their own app: told once per key, and the table of a database made when
they lived in progress is the one still used."""

from importlib import import_module

import pytest
from django.core import mail
from django.db import connection

from scpvn.notifications.models import Notification
from scpvn.notifications.services import mark_read, notify


def test_moving_the_model_left_the_table_in_place():
    assert Notification._meta.db_table == "progress_notification"
    for name in (
        "scpvn.progress.migrations.0003_notification_moves_to_own_app",
        "scpvn.notifications.migrations.0001_notification_taken_over_from_progress",
    ):
        (operation,) = import_module(name).Migration.operations
        assert operation.database_operations == [], name


@pytest.mark.django_db
def test_a_person_is_told_once_per_key_in_the_app_and_by_mail(users):
    officer = users["agency_officer"]
    officer.email = "officer@example.org"
    officer.save()
    assert notify(officer, "report-due:1:2020-H1", "Sắp đến hạn báo cáo", "/reports/1/")
    assert not notify(officer, "report-due:1:2020-H1", "Sắp đến hạn báo cáo", "/reports/1/")
    assert len(mail.outbox) == 1 and "/reports/1/" in mail.outbox[0].body
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM progress_notification WHERE user_id = %s", [officer.pk]
        )
        assert cursor.fetchone()[0] == 1
    assert mark_read(users["reviewer"]) == 0 and mark_read(officer) == 1
