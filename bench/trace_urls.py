"""The project's URLs plus the benchmark's baseline: a trivial Django view."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), path("", include("scpvn.urls"))]
