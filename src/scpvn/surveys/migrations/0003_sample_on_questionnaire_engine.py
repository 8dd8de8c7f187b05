import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The link to the questionnaire engine, nullable until 0004 fills it."""

    dependencies = [
        ("assessments", "0009_assignment_run_by_agency"),
        ("surveys", "0002_uploads_checked_by_content"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="questionnaire",
            field=models.OneToOneField(
                null=True,
                limit_choices_to={"subject": "enterprise"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey",
                to="assessments.questionnaire",
                verbose_name="phiếu khảo sát",
            ),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="assignment",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey_sample",
                to="assessments.assignment",
            ),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="declined",
            field=models.BooleanField(default=False, verbose_name="từ chối"),
        ),
    ]
