"""REST API beside the report pages: reports with their sections and frozen figures,
read-only (writing and review stay on the pages), and issuing: POST `<document>/issue/`
(multipart `key_file`, `pin`) numbers and signs a periodic, inspection or survey report
through the same `issuing.issue_document` as the pages, answering 201 with the register
line, or problem+json with a stable code (`reports.document_issue_denied`,
`reports.document_already_issued`, `reports.document_wrong_pin` …) with nothing written."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scpvn.orgs.access import HasRole
from scpvn.reports import issuing
from scpvn.reports.files import INSPECTION_FORMATS, build_inspection_file
from scpvn.reports.filtersets import IssuedDocumentFilterSet, ReportFilterSet
from scpvn.reports.inspections import (
    inspection_document,
    inspection_reports_visible_to,
    open_inspection_report,
)
from scpvn.reports.keys import Pkcs12Key
from scpvn.reports.models import InspectionReport, IssuedDocument, Report, ReportSection
from scpvn.reports.scopes import INSPECTION_ROLES
from scpvn.reports.services import with_display_codes
from scpvn.surveys.models import SurveyReport


class ReportSectionSerializer(serializers.ModelSerializer):
    task_number = serializers.IntegerField(
        source="task.number", read_only=True, allow_null=True, default=None
    )
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportSection
        # a section is on a task or, for work that is not a task, on a duty of the plan
        fields = ["id", "task", "task_number", "duty", "agency", "text", "updated_at"]


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


class IssuedDocumentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="register.agency.code", read_only=True)
    year = serializers.IntegerField(source="register.year", read_only=True)

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "code",
            "agency",
            "year",
            "number",
            "symbol",
            "issued_on",
            "issued_at",
            "title",
            "report",
            "inspection_report",
            "survey_report",
            "person_signer",
            "agency_signer",
            "sha256",
            "status",
            "cancel_reason",
            "cancelled_at",
        ]


class IssueRequestSerializer(serializers.Serializer):
    key_file = serializers.FileField(help_text="Tệp khóa PKCS#12 (.p12, .pfx) của người ký")
    pin = serializers.CharField(help_text="Mật khẩu (PIN) của tệp khóa")


class IssueActionMixin:
    """`POST <document>/issue/`: signs and issues the document the caller reaches."""

    @extend_schema(request=IssueRequestSerializer, responses={201: IssuedDocumentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def issue(self, request, pk=None):
        document = self.get_object()
        given = IssueRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        key = Pkcs12Key.from_upload(given.validated_data["key_file"], given.validated_data["pin"])
        entry = issuing.issue_document(request.user, document, key)
        return Response(IssuedDocumentSerializer(entry).data, status=status.HTTP_201_CREATED)


class ReportViewSet(IssueActionMixin, viewsets.ReadOnlyModelViewSet):
    """Periodic reports; `snapshot` holds the figures frozen when the report was submitted
    (null while it is being written)."""

    queryset = Report.objects.select_related("duty").prefetch_related(
        "sections__task", "sections__agency"
    )
    serializer_class = ReportSerializer
    permission_classes = [HasRole]
    filterset_class = ReportFilterSet


class IssuedDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The outgoing-document register: one line per number given (cancelled ones kept)."""

    queryset = IssuedDocument.objects.none()  # the schema's model; rows come from the scope
    serializer_class = IssuedDocumentSerializer
    permission_classes = [HasRole]
    filterset_class = IssuedDocumentFilterSet

    def get_queryset(self):
        return issuing.register_visible_to(self.request.user)


class SignatureSerializer(serializers.Serializer):
    field = serializers.CharField()
    signer = serializers.CharField()
    signed_at = serializers.CharField()
    timestamp = serializers.CharField()
    intact = serializers.BooleanField()
    valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    changed_after = serializers.BooleanField()
    modification = serializers.CharField()
    chain = serializers.ListField(child=serializers.CharField())
    ok = serializers.BooleanField()


class VerifyPdfViewSet(viewsets.ViewSet):
    """Checks the signatures of an uploaded PDF (multipart field `file`); a file that is not
    a signed PDF is answered 400 problem+json."""

    permission_classes = [HasRole]
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request=inline_serializer("VerifyPdfRequest", {"file": serializers.FileField()}),
        responses=inline_serializer(
            "VerifyPdfResult", {"signatures": SignatureSerializer(many=True)}
        ),
    )
    def create(self, request):
        from scpvn.reports.register_views import check_upload

        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": "Hãy gửi tệp PDF (trường file)."})
        checks = check_upload(upload)
        return Response({"signatures": SignatureSerializer(checks, many=True).data})


class InspectionReportSerializer(serializers.ModelSerializer):
    """Write: `deliverable` (id) and `period` open the report (or return the one open).
    Read: the report with its figures by unit and by kind of place and its visits."""

    deliverable_code = serializers.CharField(source="deliverable.display_code", read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    content = serializers.SerializerMethodField()
    issues = serializers.SerializerMethodField()

    class Meta:
        model = InspectionReport
        fields = [
            "id",
            "plan",
            "deliverable",
            "deliverable_code",
            "period",
            "agency",
            "content",
            "issues",
        ]
        read_only_fields = ["id", "plan", "agency"]
        # `period` is checked by the service (a year, half or quarter).
        validators = []

    @extend_schema_field(
        inline_serializer(
            "InspectionReportContent",
            {
                "summary": serializers.CharField(),
                "by_unit": serializers.ListField(child=serializers.DictField()),
                "by_kind": serializers.ListField(child=serializers.DictField()),
                "visits": serializers.ListField(child=serializers.DictField()),
                "photos": serializers.IntegerField(),
            },
        )
    )
    def get_content(self, report: InspectionReport) -> dict:
        doc = inspection_document(report)
        return {
            "summary": doc["summary"],
            "by_unit": doc["by_unit"],
            "by_kind": doc["by_kind"],
            "visits": doc["visits"],
            "photos": len(doc["photos"]) + doc["photos_left_out"],
        }

    def get_issues(self, report: InspectionReport) -> list[str]:
        return [entry.code for entry in report.issues.all()]


class InspectionReportViewSet(
    IssueActionMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Inspection reports (10.2) of the caller's agency (all, for a city administrator):
    POST opens one for a deliverable and period; `file/?fmt=docx|pdf` gives the document;
    `issue/` signs and issues it."""

    queryset = InspectionReport.objects.none()  # the schema's model; rows from the scope
    serializer_class = InspectionReportSerializer
    permission_classes = [HasRole]
    allowed_roles = INSPECTION_ROLES

    def get_queryset(self):
        return inspection_reports_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = open_inspection_report(
            self.request.user, data["deliverable"], data["period"]
        )

    @extend_schema(
        parameters=[OpenApiParameter("fmt", str, enum=list(INSPECTION_FORMATS))],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        fmt = request.query_params.get("fmt", "pdf")
        if fmt not in INSPECTION_FORMATS:
            raise ValidationError({"fmt": "Định dạng là docx hoặc pdf."})
        content, name, content_type = build_inspection_file(self.get_object(), fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SurveyReportViewSet(IssueActionMixin, viewsets.GenericViewSet):
    """A survey's sector or summary report: `issue/` signs and issues it (the reports
    themselves are listed on the survey)."""

    queryset = SurveyReport.objects.select_related("survey__agency", "sector")
    serializer_class = IssuedDocumentSerializer
    permission_classes = [HasRole]


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="report")
    router.register("issued-documents", IssuedDocumentViewSet, basename="issued-document")
    router.register("verify-pdf", VerifyPdfViewSet, basename="verify-pdf")
    router.register("inspection-reports", InspectionReportViewSet, basename="inspection-report")
    router.register("survey-reports", SurveyReportViewSet, basename="survey-report")
