from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scpvn.fairs import models as m
from scpvn.fairs import serializers as s
from scpvn.fairs import services as fairs
from scpvn.orgs.access import HasRole
from scpvn.orgs.policy import restrict
from scpvn.orgs.roles import ALL_ROLES, OFFICER_ROLES


class ChainViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Chain.objects.all()
    serializer_class = s.ChainSerializer
    permission_classes = [HasRole]


class FairEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.FairEvent.objects.with_allocated().prefetch_related("booths")
    serializer_class = s.FairEventSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_fields = ["status", "chain"]


class FairApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Enterprise users apply for their own enterprise; officers allocate booths."""

    serializer_class = s.FairApplicationSerializer
    permission_classes = [HasRole]
    allowed_roles = ALL_ROLES
    filterset_fields = ["event", "status"]

    def get_queryset(self):
        return restrict(m.FairApplication.objects.select_related("booth"), self.request.user)

    def perform_create(self, serializer):
        serializer.instance = fairs.apply_for_booth(
            self.request.user,
            event=serializer.validated_data["event"],
            enterprise=serializer.validated_data["enterprise"],
            products=serializer.validated_data["products"],
        )

    @action(detail=True, methods=["post"], allowed_roles=OFFICER_ROLES)
    def allocate(self, request, pk=None):
        """Accept the application: a booth if one is free, else the waiting list."""
        application = self.get_object()
        application = fairs.review_application(request.user, application, accept=True)
        return Response(self.get_serializer(application).data)


def register(router) -> None:
    router.register("network/chains", ChainViewSet, basename="network-chain")
    router.register("network/fairs", FairEventViewSet, basename="network-fair")
    router.register(
        "network/fair-applications", FairApplicationViewSet, basename="network-application"
    )
