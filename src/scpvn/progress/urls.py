from django.urls import path

from scpvn.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("my-tasks/", views.MyTasksView.as_view(), name="my_tasks"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("activities/new/", views.ActivityFormView.as_view(), name="activity_new"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    path("activities/<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_edit"),
    path(
        "activities/<int:pk>/<str:action>/",
        views.ActivityActionView.as_view(),
        name="activity_action",
    ),
    path("overlaps/", views.OverlapListView.as_view(), name="overlaps"),
    path("evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
]
