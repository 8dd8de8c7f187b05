from rest_framework import serializers

from scpvn.plans.models import Deliverable, Indicator, Plan, Task


class DeliverableSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deliverable
        fields = ["id", "code", "display_code", "name", "unit", "target", "note"]


class TaskSerializer(serializers.ModelSerializer):
    group = serializers.IntegerField(source="group.number", read_only=True)
    lead = serializers.CharField(source="lead.code", read_only=True)
    partners = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    deliverables = DeliverableSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "number",
            "group",
            "title",
            "content",
            "lead",
            "partners",
            "partners_note",
            "start",
            "end",
            "window_text",
            "deliverables",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )
    lead = serializers.CharField(source="lead.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "code",
            "parent",
            "name",
            "scope",
            "unit",
            "target",
            "target_min",
            "target_max",
            "baseline",
            "direction",
            "deadline",
            "method",
            "lead",
            "level",
            "series",
        ]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "code",
            "slug",
            "title",
            "issuer",
            "place",
            "issued",
            "period_start",
            "period_end",
            "legal_basis",
            "funding",
            "implements",
            "parent",
            "sources",
            "complete",
            "missing",
        ]


class SeriesRowSerializer(serializers.Serializer):
    """One year of a measure: the plan that set it and its target (a value or a range)."""

    year = serializers.IntegerField()
    plan = serializers.CharField()
    plan_code = serializers.CharField()
    issuer = serializers.CharField()
    issued = serializers.DateField()
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    target_min = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    target_max = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    direction = serializers.CharField()
    level = serializers.CharField()
