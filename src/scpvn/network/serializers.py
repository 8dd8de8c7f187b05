from rest_framework import serializers

from scpvn.network import models as m


class ChainSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Chain
        fields = ["id", "name", "sectors", "agency", "deliverable"]


class FairEventSerializer(serializers.ModelSerializer):
    booths = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    allocated = serializers.SerializerMethodField()

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

    def get_allocated(self, event) -> int:
        return event.applications.filter(status=m.FairApplication.Status.ALLOCATED).count()


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


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Certificate
        fields = ["number", "issued", "valid_until"]


class GreenPointSerializer(serializers.ModelSerializer):
    field = serializers.StringRelatedField()
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = m.GreenPoint
        fields = [
            "id",
            "enterprise",
            "field",
            "name",
            "address",
            "district",
            "status",
            "certificates",
        ]


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


class EventSerializer(serializers.ModelSerializer):
    registered = serializers.IntegerField(source="registrations.count", read_only=True)

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
