from django.urls import path

from scpvn.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("workspace/", views.WorkspaceView.as_view(), name="workspace"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template.xlsx", views.TemplateDownloadView.as_view(), name="template"),
    path("import/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("import/<int:pk>/errors.xlsx", views.ImportErrorsView.as_view(), name="import_errors"),
]
