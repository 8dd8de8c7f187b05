from rest_framework import viewsets

from scpvn.greenpoints import models as m
from scpvn.greenpoints import serializers as s
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import ALL_ROLES
from scpvn.registry.services import enterprises_visible_to


class GreenPointViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.GreenPointSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_fields = ["status", "field", "district"]

    def get_queryset(self):
        return (
            m.GreenPoint.objects.filter(enterprise__in=enterprises_visible_to(self.request.user))
            .prefetch_related("certificates")
            .select_related("field")
        )


def register(router) -> None:
    router.register("network/green-points", GreenPointViewSet, basename="network-greenpoint")
