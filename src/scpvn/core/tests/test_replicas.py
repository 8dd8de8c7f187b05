"""The replica router: listed public pages read from the replica on GET unless the browser
has just written; everything else, and every write, stays on the primary."""

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from scpvn.core import replicas
from scpvn.trace.models import Event


def _serve(
    path: str, method: str = "get", cookies: dict | None = None
) -> tuple[str | None, HttpResponse]:
    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)
    seen = {}

    def view(req):
        seen["read"] = replicas.ReplicaRouter().db_for_read(Event)
        return HttpResponse()

    def handler(req):
        middleware.process_view(req, view, (), {})  # Django calls it between the two
        return view(req)

    middleware = replicas.ReplicaMiddleware(handler)
    response = middleware(request)
    return seen["read"], response


def test_without_a_replica_everything_reads_the_default():
    read, _response = _serve("/public/")
    assert read is None
    assert replicas.STICKY_COOKIE not in _serve("/epcis/capture", method="post")[1].cookies


def test_public_pages_read_the_replica_and_a_writer_reads_the_primary(settings, monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    assert _serve("/public/")[0] == "replica"
    assert _serve("/01/08930001001015/10/L1")[0] == "replica"
    assert _serve("/progress/")[0] is None  # staff pages stay on the primary
    assert _serve("/public/", cookies={replicas.STICKY_COOKIE: "1"})[0] is None
    _read, response = _serve("/epcis/capture", method="post")
    assert (
        response.cookies[replicas.STICKY_COOKIE]["max-age"] == settings.SCPVN_REPLICA_STICKY_SECONDS
    )
    assert replicas.ReplicaRouter().db_for_write(Event) == "default"
    assert replicas.ReplicaRouter().db_for_read(Event) is None  # outside a request


def test_the_replica_is_never_migrated():
    assert replicas.ReplicaRouter().allow_migrate("replica", "trace") is False
    assert replicas.ReplicaRouter().allow_migrate("default", "trace") is True
