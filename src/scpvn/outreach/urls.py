"""Event, PSS and media pages; mounted under the `network:` namespace by `scpvn.network.urls`."""

from django.urls import path

from scpvn.outreach.views import events, files, media, pss

urlpatterns = [
    path("pss/", pss.PssIndexView.as_view(), name="pss"),
    path("pss/guidance/new/", pss.GuidanceCreateView.as_view(), name="guidance-create"),
    path("pss/pilots/<int:pk>/", pss.PilotDetailView.as_view(), name="pilot"),
    path("pss/pilots/<int:pk>/complete/", pss.PilotCompleteView.as_view(), name="pilot-complete"),
    path("events/", events.EventListView.as_view(), name="events"),
    path("events/new/", events.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/", events.EventDetailView.as_view(), name="event"),
    path("events/<int:pk>/action/", events.EventActionView.as_view(), name="event-action"),
    path("events/<int:pk>/feedback/", events.FeedbackView.as_view(), name="event-feedback"),
    path("media/", media.MediaListView.as_view(), name="media"),
    path("media/new/", media.MediaCreateView.as_view(), name="media-create"),
    path("media/<int:pk>/", media.MediaUpdateView.as_view(), name="media-edit"),
    path("files/<str:kind>/<int:pk>/", files.StaffFileView.as_view(), name="file"),
]
