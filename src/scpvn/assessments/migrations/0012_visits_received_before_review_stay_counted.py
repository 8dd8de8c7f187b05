"""Visits received before the review step existed were counted on arrival (their module
records are approved activities): they are marked accepted, so the indicators and the
deliverables keep reading them as they did."""

from django.db import migrations


def accept_earlier_visits(apps, schema_editor):
    Submission = apps.get_model("assessments", "Submission")
    Submission.objects.filter(status="submitted", reviewed_at__isnull=True).update(
        status="approved",
        review_comment="Nhận trước khi có bước duyệt lượt kiểm tra; đã được tính khi nhận.",
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_submission_review_and_gps")]

    operations = [migrations.RunPython(accept_earlier_visits, migrations.RunPython.noop)]
