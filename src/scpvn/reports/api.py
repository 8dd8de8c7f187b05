"""REST API beside the report pages: reports with their sections and frozen figures,
read-only (writing and review stay on the pages)."""

from rest_framework import serializers, viewsets

from scpvn.orgs.access import HasRole
from scpvn.reports.filtersets import ReportFilterSet
from scpvn.reports.models import Report, ReportSection
from scpvn.reports.services import with_display_codes


class ReportSectionSerializer(serializers.ModelSerializer):
    task_number = serializers.IntegerField(source="task.number", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportSection
        fields = ["id", "task", "task_number", "agency", "text", "updated_at"]


class ReportSerializer(serializers.ModelSerializer):
    duty_code = serializers.CharField(source="duty.code", read_only=True)
    sections = ReportSectionSerializer(many=True, read_only=True)

    snapshot = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "duty",
            "duty_code",
            "period",
            "number",
            "summary",
            "difficulties",
            "proposals",
            "signer_title",
            "signer_name",
            "status",
            "review_comment",
            "submitted_at",
            "reviewed_at",
            "version",
            "sections",
            "snapshot",
        ]

    def get_snapshot(self, report: Report) -> dict | None:
        """The frozen figures, deliverables with their shown code (`NV4.1`)."""
        return with_display_codes(report.snapshot) if report.snapshot else None


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Periodic reports; `snapshot` holds the figures frozen when the report was submitted
    (null while it is being written)."""

    queryset = Report.objects.select_related("duty").prefetch_related(
        "sections__task", "sections__agency"
    )
    serializer_class = ReportSerializer
    permission_classes = [HasRole]
    filterset_class = ReportFilterSet


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="report")
