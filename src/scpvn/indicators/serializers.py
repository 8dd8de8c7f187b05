from rest_framework import serializers

from scpvn.indicators.models import IndicatorValue


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    plan = serializers.IntegerField(source="indicator.plan_id", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True, default=None)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "plan",
            "indicator",
            "period",
            "period_kind",
            "start",
            "end",
            "district",
            "value",
            "numerator",
            "denominator",
            "observed",
            "population",
            "coverage",
            "source",
            "computed_at",
        ]
