from rest_framework import viewsets

from scpvn.orgs.access import HasRole
from scpvn.orgs.policy import CHANGE, restrict
from scpvn.orgs.roles import OFFICER_ROLES
from scpvn.outreach import models as m
from scpvn.outreach import serializers as s
from scpvn.outreach.services import media


class GuidanceDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.GuidanceDocument.objects.all()
    serializer_class = s.GuidanceDocumentSerializer
    permission_classes = [HasRole]


class PssPilotViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.PssPilot.objects.all()
    serializer_class = s.PssPilotSerializer
    permission_classes = [HasRole]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = m.Event.objects.with_registrations()
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
        return restrict(self.queryset, self.request.user, CHANGE)

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
    router.register("network/pss-guidance", GuidanceDocumentViewSet, basename="network-guidance")
    router.register("network/pss-pilots", PssPilotViewSet, basename="network-pilot")
    router.register("network/events", EventViewSet, basename="network-event")
    router.register("network/media", MediaItemViewSet, basename="network-media")
