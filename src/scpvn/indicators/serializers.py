from rest_framework import serializers

from scpvn.indicators.methods import divides_by
from scpvn.indicators.models import IndicatorValue


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    plan = serializers.IntegerField(source="indicator.plan_id", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True, default=None)
    divides_by = serializers.SerializerMethodField(
        help_text="a share's denominator: registry (every registered subject of the group) "
        "or observed (those surveyed); null for other methods"
    )

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
            "divides_by",
            "source",
            "computed_at",
        ]

    def get_divides_by(self, value: IndicatorValue) -> str | None:
        return divides_by(value.indicator.method)
