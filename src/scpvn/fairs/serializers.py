from rest_framework import serializers

from scpvn.fairs import models as m


class ChainSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Chain
        fields = ["id", "name", "sectors", "agency", "deliverable"]


class FairEventSerializer(serializers.ModelSerializer):
    booths = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    allocated = serializers.IntegerField(read_only=True)

    class Meta:
        model = m.FairEvent
        fields = [
            "id",
            "chain",
            "name",
            "venue",
            "district",
            "start_date",
            "end_date",
            "capacity",
            "allocated",
            "status",
            "visitors",
            "deliverable",
            "booths",
        ]


class FairApplicationSerializer(serializers.ModelSerializer):
    booth = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = m.FairApplication
        fields = [
            "id",
            "event",
            "enterprise",
            "products",
            "status",
            "booth",
            "checked_in_at",
            "reported_sales",
            "submitted_at",
        ]
        read_only_fields = ["status", "booth", "checked_in_at", "reported_sales", "submitted_at"]
        validators = []  # the duplicate rule is the service's, with its own message
