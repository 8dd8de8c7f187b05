from rest_framework import serializers

from scpvn.registry.models import Enterprise, Place


class PlacedSerializer(serializers.ModelSerializer):
    """Where a record is: its old district (records before 1 July 2025) and its unit of the
    administrative tree (a ward or commune since the reform), either of which may be empty."""

    district = serializers.CharField(source="district.code", read_only=True, default=None)
    unit = serializers.CharField(source="unit.code", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)


class EnterpriseSerializer(PlacedSerializer):
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
            "unit",
            "unit_name",
            "vsic_code",
            "size",
            "industrial_zone",
            "distribution",
        ]


class PlaceSerializer(PlacedSerializer):
    operator = serializers.CharField(source="operator.tax_code", read_only=True, default=None)

    class Meta:
        model = Place
        fields = [
            "id",
            "kind",
            "name",
            "address",
            "district",
            "ward",
            "unit",
            "unit_name",
            "market_class",
            "operator",
            "latitude",
            "longitude",
            "status",
        ]
