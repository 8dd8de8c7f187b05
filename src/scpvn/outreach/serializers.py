from rest_framework import serializers

from scpvn.outreach import models as m


class GuidanceDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.GuidanceDocument
        fields = ["id", "title", "summary", "file", "link", "published", "deliverable"]


class PssPilotSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.PssPilot
        fields = [
            "id",
            "name",
            "host",
            "partners",
            "design",
            "results",
            "status",
            "started",
            "completed",
            "workshop",
            "deliverable",
        ]


class EventSerializer(serializers.ModelSerializer):
    registered = serializers.IntegerField(read_only=True)

    class Meta:
        model = m.Event
        fields = [
            "id",
            "kind",
            "title",
            "date",
            "venue",
            "district",
            "audience",
            "capacity",
            "status",
            "deliverable",
            "registered",
        ]


class MediaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.MediaItem
        fields = [
            "id",
            "kind",
            "title",
            "outlet",
            "date",
            "link",
            "file",
            "print_quantity",
            "agency",
            "deliverable",
        ]
