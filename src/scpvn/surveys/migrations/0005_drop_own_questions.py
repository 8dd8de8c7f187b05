import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The survey's own questions and answers are gone: the engine holds them (0004)."""

    dependencies = [("surveys", "0004_answers_into_assessments")]

    operations = [
        migrations.DeleteModel(name="Question"),
        migrations.RemoveField(model_name="surveyresponse", name="answers"),
        migrations.RemoveField(model_name="surveyresponse", name="answered_at"),
        migrations.RemoveField(model_name="surveyresponse", name="status"),
        migrations.AlterField(
            model_name="survey",
            name="questionnaire",
            field=models.OneToOneField(
                limit_choices_to={"subject": "enterprise"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey",
                to="assessments.questionnaire",
                verbose_name="phiếu khảo sát",
            ),
        ),
        migrations.AlterField(
            model_name="surveyresponse",
            name="assignment",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="survey_sample",
                to="assessments.assignment",
            ),
        ),
    ]
