from django.urls import path

from scpvn.assessments import forms_views, views, visits_views

app_name = "assessments"
urlpatterns = [
    path("", views.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("<int:pk>/<str:kind>/<int:subject>/answer/", views.AnswerView.as_view(), name="answer"),
    path("forms/", forms_views.FormListView.as_view(), name="form_list"),
    path("forms/<int:pk>/fill/", forms_views.FormFillView.as_view(), name="form_fill"),
    path("forms/offline-sw.js", forms_views.service_worker, name="form_fill_sw"),
    path("responses/", views.ResponseListView.as_view(), name="response_list"),
    path("responses/<int:pk>/", views.ResponseDetailView.as_view(), name="response_detail"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("photos/repeat/<int:pk>/", views.RepeatPhotoView.as_view(), name="repeat_photo"),
    path("visits/", visits_views.VisitListView.as_view(), name="visit_list"),
    path("visits/<int:pk>/", visits_views.VisitDetailView.as_view(), name="visit_detail"),
    path(
        "visits/<int:pk>/<str:action>/",
        visits_views.VisitActionView.as_view(),
        name="visit_action",
    ),
]
