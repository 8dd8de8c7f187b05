from django.urls import path

from scpvn.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:plan_pk>/tasks/<int:number>/", views.TaskDetailView.as_view(), name="task"),
    path("series/<slug:slug>/", views.SeriesView.as_view(), name="series"),
    path("budget/<int:pk>/", views.BudgetAllocationView.as_view(), name="budget"),
]
