from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scpvn.network import models as m
from scpvn.network import serializers as s
from scpvn.network.access import OFFICER_ROLES, acting_agencies
from scpvn.network.services import fairs, media
from scpvn.orgs.access import HasRole
from scpvn.orgs.roles import ALL_ROLES
from scpvn.registry.services import enterprises_visible_to


class ChainViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Chain.objects.all()
    serializer_class = s.ChainSerializer
    permission_classes = [HasRole]


class FairEventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.FairEvent.objects.prefetch_related("booths")
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
        return m.FairApplication.objects.filter(
            enterprise__in=enterprises_visible_to(self.request.user)
        ).select_related("booth")

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


class GuidanceDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.GuidanceDocument.objects.all()
    serializer_class = s.GuidanceDocumentSerializer
    permission_classes = [HasRole]


class PssPilotViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.PssPilot.objects.all()
    serializer_class = s.PssPilotSerializer
    permission_classes = [HasRole]


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Survey.objects.prefetch_related("sectors")
    serializer_class = s.SurveySerializer
    permission_classes = [HasRole]


class SurveyResponseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SurveyResponseSerializer
    permission_classes = [HasRole]
    filterset_fields = ["survey", "sector", "status"]

    def get_queryset(self):
        return m.SurveyResponse.objects.filter(
            enterprise__in=enterprises_visible_to(self.request.user)
        )


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Event.objects.all()
    serializer_class = s.EventSerializer
    permission_classes = [HasRole]
    filterset_fields = ["kind", "status", "deliverable"]


class MediaItemViewSet(viewsets.ModelViewSet):
    """Media items; saving goes through the service so the deliverable count follows."""

    queryset = m.MediaItem.objects.all()
    serializer_class = s.MediaItemSerializer
    permission_classes = [HasRole]
    write_roles = OFFICER_ROLES
    filterset_fields = ["kind", "deliverable"]

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return self.queryset
        return self.queryset.filter(agency__in=acting_agencies(self.request.user))

    def perform_create(self, serializer):
        self._save(serializer, m.MediaItem(**serializer.validated_data))

    def perform_update(self, serializer):
        item = serializer.instance
        for key, value in serializer.validated_data.items():
            setattr(item, key, value)
        self._save(serializer, item)

    def _save(self, serializer, item):
        serializer.instance = media.save_media_item(self.request.user, item)

    def perform_destroy(self, instance):
        media.delete_media_item(self.request.user, instance)


def register(router) -> None:
    router.register("network/chains", ChainViewSet, basename="network-chain")
    router.register("network/fairs", FairEventViewSet, basename="network-fair")
    router.register(
        "network/fair-applications", FairApplicationViewSet, basename="network-application"
    )
    router.register("network/green-points", GreenPointViewSet, basename="network-greenpoint")
    router.register("network/pss-guidance", GuidanceDocumentViewSet, basename="network-guidance")
    router.register("network/pss-pilots", PssPilotViewSet, basename="network-pilot")
    router.register("network/surveys", SurveyViewSet, basename="network-survey")
    router.register("network/survey-responses", SurveyResponseViewSet, basename="network-response")
    router.register("network/events", EventViewSet, basename="network-event")
    router.register("network/media", MediaItemViewSet, basename="network-media")
