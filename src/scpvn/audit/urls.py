from django.urls import path

from scpvn.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditIndexView.as_view(), name="index"),
    path("<str:model>/<str:pk>/", views.ObjectHistoryView.as_view(), name="object"),
]
