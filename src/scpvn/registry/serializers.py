from rest_framework import serializers

from scpvn.registry.models import Enterprise, Place


class EnterpriseSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    industrial_zone = serializers.CharField(
        source="industrial_zone.code", read_only=True, default=None
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "tax_code",
            "name",
            "address",
            "district",
            "ward",
            "vsic_code",
            "size",
            "industrial_zone",
            "distribution",
        ]


class PlaceSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    operator = serializers.CharField(source="operator.tax_code", read_only=True, default=None)

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "address", "district", "ward", "market_class", "operator"]
