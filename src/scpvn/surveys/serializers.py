from rest_framework import serializers

from scpvn.surveys import models as m


class SurveySectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.SurveySector
        fields = ["id", "name", "vsic_prefixes", "sample_size", "report_deliverable"]


class SurveySerializer(serializers.ModelSerializer):
    sectors = SurveySectorSerializer(many=True, read_only=True)

    class Meta:
        model = m.Survey
        fields = [
            "id",
            "title",
            "year",
            "seed",
            "questionnaire",
            "deliverable",
            "summary_deliverable",
            "sectors",
        ]


class SurveyResponseSerializer(serializers.ModelSerializer):
    """An enterprise of the sample; its answers are the engine's (`/api/responses/`, by the
    `response` given here)."""

    status = serializers.CharField(read_only=True)
    response = serializers.SerializerMethodField()

    class Meta:
        model = m.SurveyResponse
        fields = ["id", "survey", "sector", "enterprise", "assignment", "status", "response"]

    def get_response(self, obj) -> int | None:
        latest = obj.latest_response()
        return latest.pk if latest else None
