from rest_framework import serializers

from scpvn.greenpoints import models as m


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
