from rest_framework import serializers

from scpvn.assessments.models import Answer, Question, Questionnaire, Response


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["code", "order", "text", "type", "choices", "unit", "required"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "code",
            "version",
            "title",
            "description",
            "subject",
            "place_kinds",
            "indicators",
            "is_active",
            "questions",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "number", "boolean", "text", "date", "choices", "display"]


class ResponseSerializer(serializers.ModelSerializer):
    """Read: the response with its answers. Write: `values` maps question codes to values
    (number, true/false, choice value, list of choice values, text, YYYY-MM-DD)."""

    answers = AnswerSerializer(many=True, read_only=True)
    district = serializers.CharField(source="district.code", read_only=True)
    values = serializers.DictField(write_only=True, child=serializers.JSONField())

    class Meta:
        model = Response
        fields = [
            "id",
            "questionnaire",
            "enterprise",
            "place",
            "district",
            "date",
            "answers",
            "values",
        ]
        read_only_fields = ["id", "district", "answers"]

    def validate(self, attrs):
        # Neither is the service's refusal, which names the one the questionnaire needs.
        if attrs.get("enterprise") and attrs.get("place"):
            raise serializers.ValidationError("Cần đúng một trong enterprise hoặc place.")
        return attrs
