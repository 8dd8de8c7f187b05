"""The signed-in user's notifications. The path stays under `progress/` where API clients
already read it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from scpvn.notifications import services
from scpvn.notifications.models import Notification
from scpvn.orgs.access import HasRole


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "url", "created_at", "read_at"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [HasRole]

    def get_queryset(self):
        return Notification.objects.filter(user_id=self.request.user.pk)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk=None) -> Response:
        notification = self.get_object()
        services.mark_read(request.user, notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)


def register(router) -> None:
    router.register("progress/notifications", NotificationViewSet, basename="notification")
