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
        fields = ["id", "title", "year", "seed", "deliverable", "summary_deliverable", "sectors"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.SurveyResponse
        fields = ["id", "survey", "sector", "enterprise", "status", "answers", "answered_at"]
