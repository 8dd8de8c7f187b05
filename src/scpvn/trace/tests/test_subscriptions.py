"""EPCIS 2.0 query subscriptions by webhook (openapi.yaml /queries/{name}/subscriptions):
a real HTTP server on loopback receives the deliveries, which the real task worker sends;
the signature is checked as a subscriber would, over the bytes received."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from scpvn.orgs.models import User
from scpvn.orgs.roles import Role
from scpvn.trace.models import Delivery, Event, NamedQuery, Subscription
from scpvn.trace.schedule import ScheduleError, next_run
from scpvn.trace.tests.factories import EPCIS_STANDARDS

pytestmark = pytest.mark.django_db
LD_JSON = "application/ld+json"
TOKEN = "13df38d8275b13f05704629e5f1cf3d45d6132d5"


class Receiver:
    """A subscriber's endpoint: records each POST and answers the next planned status
    (200 once the plan is used up)."""

    def __init__(self):
        self.received: list[dict] = []
        self.plan: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.plan.pop(0) if receiver.plan else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/callback?client=7"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def documents(self) -> list[dict]:
        return [json.loads(item["body"]) for item in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings, monkeypatch):
    settings.SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE = True  # the test server is on loopback
    settings.SCPVN_EPCIS_WEBHOOK_BACKOFF = 0
    settings.SCPVN_EPCIS_SUBSCRIPTION_SETTLE = 0
    # The worker drops connections it thinks stale; inside the test's transaction that
    # would be the test's own. Everything else is the real worker.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    found = Receiver()
    yield found
    found.close()


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def capture(client, name: str, callbacks) -> None:
    with callbacks(execute=True):
        response = client.post(
            "/epcis/capture",
            (EPCIS_STANDARDS / "examples" / name).read_bytes(),
            content_type=LD_JSON,
        )
    assert response.status_code == 202, response.content


def save_query(client, name: str, query: dict) -> None:
    response = client.post(
        "/epcis/queries", json.dumps({"name": name, "query": query}), content_type=LD_JSON
    )
    assert response.status_code == 201, response.content


def subscribe(client, query: str, body: dict):
    return client.post(
        f"/epcis/queries/{query}/subscriptions", json.dumps(body), content_type="application/json"
    )


def event_ids(document: dict) -> list[str]:
    return [e["eventID"] for e in document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def assert_problem(response, status: int, kind: str, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"epcisException:{kind}" and body["code"] == code, body


def test_stream_subscription_receives_each_capture_signed(
    admin_api, receiver, django_capture_on_commit_callbacks
):
    save_query(admin_api, "shipped", {"EQ_bizStep": ["shipping"]})
    created = subscribe(
        admin_api, "shipped", {"dest": receiver.url, "signatureToken": TOKEN, "stream": True}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == f"/epcis/queries/shipped/subscriptions/{body['subscriptionID']}"
    assert body["stream"] is True and body["dest"] == receiver.url
    assert TOKEN not in created.content.decode()  # the secret is never shown back

    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    capture(
        admin_api, "Example_9.6.4-TransformationEvent.jsonld", django_capture_on_commit_callbacks
    )
    run_worker()

    expected = event_ids(admin_api.get("/epcis/events", {"EQ_bizStep": "shipping"}).json())
    assert expected  # the examples do hold a shipping event
    assert len(receiver.received) == 1  # the transformation document matched nothing
    delivered = receiver.received[0]
    assert delivered["path"] == "/callback?client=7"
    assert delivered["headers"]["Content-Type"] == LD_JSON
    signature = base64.b64encode(
        hmac.new(TOKEN.encode(), delivered["body"], hashlib.sha256).digest()
    ).decode()
    assert delivered["headers"]["GS1-Signature"] == signature
    document = json.loads(delivered["body"])
    assert document["type"] == "EPCISQueryDocument"
    results = document["epcisBody"]["queryResults"]
    assert results["queryName"] == "shipped"
    assert results["subscriptionID"] == body["subscriptionID"]
    assert event_ids(document) == expected

    log = Delivery.objects.get()
    assert (log.state, log.attempts, log.event_count) == (Delivery.State.DELIVERED, 1, 1)
    assert log.log[0]["status"] == 200 and log.body == ""
    detail = admin_api.get(created["Location"]).json()
    assert detail["lastNotifiedAt"] and detail["queryName"] == "shipped"
    assert [
        s["subscriptionID"] for s in admin_api.get("/epcis/queries/shipped/subscriptions").json()
    ] == [body["subscriptionID"]]


def test_a_subscriber_receives_only_what_they_may_query(
    admin_api, enterprise, enterprise_user, receiver, django_capture_on_commit_callbacks
):
    """The enterprise user's query asks for everything; their scope (their own products)
    holds none of the captured events, so nothing is sent to them, while the city
    administrator's identical subscription receives the events."""
    member = APIClient()
    member.force_authenticate(enterprise_user)
    everything = {"GE_eventTime": "2000-01-01T00:00:00Z"}
    for client in (member, admin_api):
        save_query(client, "all", everything)
        assert subscribe(client, "all", {"dest": receiver.url, "stream": True}).status_code == 201
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    run_worker()
    assert len(receiver.received) == 1
    assert "GS1-Signature" not in receiver.received[0]["headers"]  # no token, no signature
    admin_subscription = Subscription.objects.get(owner__role=Role.CITY_ADMIN)
    assert receiver.documents()[0]["epcisBody"]["queryResults"]["subscriptionID"] == str(
        admin_subscription.pk
    )
    assert len(event_ids(receiver.documents()[0])) == Event.objects.count()


def test_failing_destination_is_retried_then_given_up(
    admin_api, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SCPVN_EPCIS_WEBHOOK_ATTEMPTS = 3
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    subscribe(admin_api, "all", {"dest": receiver.url, "signatureToken": TOKEN, "stream": True})
    receiver.plan = [500, 500, 500]
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    run_worker()
    assert len(receiver.received) == 3
    assert len({item["body"] for item in receiver.received}) == 1  # the same signed bytes
    log = Delivery.objects.get()
    assert log.state == Delivery.State.FAILED and log.attempts == 3
    assert [entry["status"] for entry in log.log] == [500, 500, 500]
    assert log.body  # kept, to look into or resend by hand
    assert Subscription.objects.get().last_notified_at is None


def test_a_destination_that_recovers_gets_the_delivery(
    admin_api, receiver, django_capture_on_commit_callbacks
):
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    subscribe(admin_api, "all", {"dest": receiver.url, "stream": True})
    receiver.plan = [503, 502]
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    run_worker()
    log = Delivery.objects.get()
    assert log.state == Delivery.State.DELIVERED and log.attempts == 3
    assert [entry["status"] for entry in log.log] == [503, 502, 200]
    assert Subscription.objects.get().last_notified_at is not None


def test_unreachable_destination_is_logged_and_given_up(
    admin_api, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SCPVN_EPCIS_WEBHOOK_ATTEMPTS = 2
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    receiver.close()  # nobody listens on that port any more
    subscribe(admin_api, "all", {"dest": receiver.url, "stream": True})
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    run_worker()
    log = Delivery.objects.get()
    assert log.state == Delivery.State.FAILED and log.attempts == 2
    assert all(entry["status"] is None and entry["error"] for entry in log.log)


def test_dest_is_checked_again_at_delivery(
    admin_api, receiver, settings, django_capture_on_commit_callbacks
):
    """Allowed when subscribing, internal when delivering: nothing is sent."""
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    subscribe(admin_api, "all", {"dest": receiver.url, "stream": True})
    settings.SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE = False
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    run_worker()
    assert receiver.received == []
    log = Delivery.objects.get()
    assert log.state == Delivery.State.FAILED
    assert "127.0.0.1" in log.log[-1]["error"]


def test_scheduled_subscription_sends_what_was_recorded_since_its_last_run(
    admin_api, receiver, django_capture_on_commit_callbacks
):
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    created = subscribe(
        admin_api,
        "all",
        {
            "dest": receiver.url,
            "signatureToken": TOKEN,
            "schedule": {"hour": "1", "minute": "5"},
            "reportIfEmpty": True,
            "initialRecordTime": "2000-01-01T16:33:00+16:33",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["initialRecordTime"] == "2000-01-01T00:00:00Z"
    subscription = Subscription.objects.get()
    local = timezone.localtime(subscription.next_run_at)
    assert (local.hour, local.minute, local.second) == (1, 5, 0)
    assert subscription.next_run_at > timezone.now()

    run_worker()
    call_command("epcis_subscriptions")
    run_worker()
    assert receiver.received == []  # not due yet

    def time_passes():
        Subscription.objects.update(next_run_at=timezone.now() - dt.timedelta(seconds=1))
        call_command("epcis_subscriptions")
        run_worker()

    time_passes()
    first = receiver.documents()
    assert len(first) == 1 and len(event_ids(first[0])) == Event.objects.count()
    assert Subscription.objects.get().next_run_at > timezone.now()

    capture(
        admin_api, "Example_9.6.4-TransformationEvent.jsonld", django_capture_on_commit_callbacks
    )
    time_passes()
    second = receiver.documents()[1]
    assert len(event_ids(second)) == Event.objects.count() - len(event_ids(first[0]))
    assert not set(event_ids(second)) & set(event_ids(first[0]))

    time_passes()  # nothing new: reportIfEmpty sends an empty result
    assert len(receiver.received) == 3 and event_ids(receiver.documents()[2]) == []
    Subscription.objects.update(report_if_empty=False)
    time_passes()
    assert len(receiver.received) == 3


def test_stream_subscription_with_a_past_initial_record_time_catches_up(
    admin_api, receiver, django_capture_on_commit_callbacks
):
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    capture(admin_api, "Example_9.6.1-ObjectEvent.jsonld", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        created = subscribe(
            admin_api,
            "all",
            {"dest": receiver.url, "stream": True, "initialRecordTime": "2000-01-01T00:00:00Z"},
        )
    assert created.status_code == 201
    run_worker()
    assert len(receiver.received) == 1
    assert len(event_ids(receiver.documents()[0])) == Event.objects.count()


def test_subscriptions_are_their_owners_and_go_with_their_query(admin_api, receiver):
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    location = subscribe(admin_api, "all", {"dest": receiver.url, "stream": True})["Location"]
    other = APIClient()
    other.force_authenticate(User.objects.create(username="khac", role=Role.CITY_ADMIN))
    save_query(other, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    assert other.get("/epcis/queries/all/subscriptions").json() == []
    for response in (other.get(location), other.delete(location)):
        assert_problem(response, 404, "NoSuchNameException", "trace.no_such_name")
    assert_problem(
        admin_api.get("/epcis/queries/none/subscriptions"),
        404,
        "NoSuchNameException",
        "trace.no_such_name",
    )
    assert_problem(
        admin_api.get("/epcis/queries/all/subscriptions/not-a-uuid"),
        404,
        "NoSuchNameException",
        "trace.no_such_name",
    )
    assert admin_api.delete(location).status_code == 204
    assert_problem(admin_api.get(location), 404, "NoSuchNameException", "trace.no_such_name")

    subscribe(admin_api, "all", {"dest": receiver.url, "stream": True})
    assert admin_api.delete("/epcis/queries/all").status_code == 204  # unsubscribes all
    assert not Subscription.objects.filter(owner__username="trace-admin").exists()
    assert NamedQuery.objects.filter(owner__username="khac").exists()


def test_anonymous_cannot_subscribe(db):
    response = APIClient().post(
        "/epcis/queries/all/subscriptions", "{}", content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"dest": "{url}"}, "trace.subscription_controls"),
        (
            {"dest": "{url}", "stream": True, "schedule": {"hour": "1"}},
            "trace.subscription_controls",
        ),
        ({"dest": "{url}", "stream": False}, "trace.subscription_controls"),
        ({"dest": "{url}", "stream": "yes"}, "trace.subscription_controls"),
        ({"dest": "{url}", "stream": True, "reportIfEmpty": True}, "trace.subscription_controls"),
        ({"dest": "{url}", "schedule": {"hour": "25"}}, "trace.subscription_controls"),
        ({"dest": "{url}", "schedule": {"hour": "[5-2]"}}, "trace.subscription_controls"),
        ({"dest": "{url}", "schedule": {"weekday": "1"}}, "trace.subscription_controls"),
        ({"dest": "{url}", "schedule": {}}, "trace.subscription_controls"),
        (
            {"dest": "{url}", "schedule": {"month": "2", "dayOfMonth": "31"}},
            "trace.subscription_controls",
        ),
        (
            {"dest": "{url}", "stream": True, "initialRecordTime": "yesterday"},
            "trace.subscription_controls",
        ),
        (
            {"dest": "{url}", "stream": True, "initialRecordTime": "2024-01-01T00:00:00"},
            "trace.subscription_controls",
        ),
        (
            {"dest": "{url}", "stream": True, "initialRecordTime": "0001-01-01T00:00:00+05:00"},
            "trace.subscription_controls",
        ),
        ({"dest": "{url}", "stream": True, "signatureToken": 42}, "trace.subscription_controls"),
        ({"dest": "{url}", "stream": True, "callback": "x"}, "trace.subscription_controls"),
        ({"stream": True}, "trace.destination_refused"),
        ({"dest": "ftp://example.com/in", "stream": True}, "trace.destination_refused"),
        ({"dest": "file:///etc/passwd", "stream": True}, "trace.destination_refused"),
        ({"dest": "https://user:pw@example.com/", "stream": True}, "trace.destination_refused"),
        ({"dest": "http://127.0.0.1:8000/admin", "stream": True}, "trace.destination_refused"),
        ({"dest": "http://localhost/", "stream": True}, "trace.destination_refused"),
        ({"dest": "http://10.1.2.3/hook", "stream": True}, "trace.destination_refused"),
        (
            {"dest": "http://169.254.169.254/latest/meta-data", "stream": True},
            "trace.destination_refused",
        ),
        ({"dest": "http://[::1]/", "stream": True}, "trace.destination_refused"),
        ({"dest": "http://[::ffff:192.168.1.1]/", "stream": True}, "trace.destination_refused"),
        ("not an object", "trace.subscription_controls"),
    ],
)
def test_a_subscription_the_binding_refuses_is_not_saved(admin_api, body, code):
    """Private addresses are refused by default (SCPVN_EPCIS_WEBHOOK_ALLOW_PRIVATE unset);
    `{url}` stands for a public address, so only the field under test is wrong."""
    save_query(admin_api, "all", {})
    if isinstance(body, dict) and body.get("dest") == "{url}":
        body = {**body, "dest": "http://93.184.215.14/hook"}
    response = subscribe(admin_api, "all", body)
    assert_problem(response, 400, "SubscriptionControlsException", code)
    assert not Subscription.objects.exists()


def test_subscription_body_must_be_json(admin_api):
    save_query(admin_api, "all", {})
    url = "/epcis/queries/all/subscriptions"
    assert_problem(
        admin_api.post(url, "{dest:", content_type="application/json"),
        400,
        "SubscriptionControlsException",
        "trace.subscription_controls",
    )
    assert_problem(
        admin_api.post(url, "dest=x", content_type="text/plain"),
        415,
        "UnsupportedMediaTypeException",
        "trace.unsupported_media_type",
    )


AT = dt.datetime(2026, 3, 4, 10, 20, 30)  # a Wednesday


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"hour": "1", "minute": "5"}, dt.datetime(2026, 3, 5, 1, 5, 0)),
        ({"minute": "30"}, dt.datetime(2026, 3, 4, 10, 30, 0)),
        ({"minute": "[15-25]"}, dt.datetime(2026, 3, 4, 10, 21, 0)),
        ({"second": "0/30"}, dt.datetime(2026, 3, 4, 10, 21, 0)),
        ({"second": "0,45"}, dt.datetime(2026, 3, 4, 10, 20, 45)),
        ({"dayOfWeek": "7"}, dt.datetime(2026, 3, 8, 0, 0, 0)),
        ({"dayOfWeek": "3", "hour": "10"}, dt.datetime(2026, 3, 11, 10, 0, 0)),
        ({"dayOfMonth": "1", "hour": "2"}, dt.datetime(2026, 4, 1, 2, 0, 0)),
        ({"month": "2", "dayOfMonth": "29"}, dt.datetime(2028, 2, 29, 0, 0, 0)),
        ({"month": "2", "dayOfMonth": "30"}, None),
    ],
)
def test_schedule_next_run(schedule, expected):
    found = next_run(schedule, timezone.make_aware(AT))
    assert (timezone.make_naive(found) if found else None) == expected


@pytest.mark.parametrize(
    "schedule",
    [{"hour": "24"}, {"minute": "a"}, {"second": "0/0"}, {"dayOfWeek": "0"}, {"hour": ""}, []],
)
def test_schedule_refuses_what_it_cannot_run(schedule):
    with pytest.raises(ScheduleError):
        next_run(schedule, timezone.now())


def test_a_large_capture_stored_by_the_worker_is_sent_in_batches(
    admin_api, receiver, settings, django_capture_on_commit_callbacks
):
    """Over SYNC_LIMIT events the capture is stored by the worker; its commit is announced
    too, and the matches go out in documents of at most SCPVN_EPCIS_WEBHOOK_BATCH events."""
    from scpvn.trace.repository import SYNC_LIMIT
    from scpvn.trace.tests.test_capture import GTIN, document, good_event

    settings.SCPVN_EPCIS_WEBHOOK_BATCH = 600
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    subscribe(admin_api, "all", {"dest": receiver.url, "signatureToken": TOKEN, "stream": True})
    events = [
        good_event(epcList=[f"https://id.gs1.org/01/{GTIN}/21/S{n}"]) for n in range(SYNC_LIMIT + 1)
    ]
    response = admin_api.post("/epcis/capture", json.dumps(document(*events)), content_type=LD_JSON)
    assert response.status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # stores the capture
    run_worker()  # sends what the commit announced
    sizes = [len(event_ids(d)) for d in receiver.documents()]
    assert sorted(sizes) == [SYNC_LIMIT + 1 - 600, 600]
    sent = {i for d in receiver.documents() for i in event_ids(d)}
    assert sent == set(Event.objects.values_list("event_id", flat=True))
    for item in receiver.received:
        expected = base64.b64encode(hmac.new(TOKEN.encode(), item["body"], hashlib.sha256).digest())
        assert item["headers"]["GS1-Signature"] == expected.decode()


def test_a_scheduled_query_that_no_longer_runs_sends_the_problem(admin_api, receiver):
    """A saved query this version no longer answers (here written past the service) does
    not stop the other subscriptions: its subscriber is sent the QueryParameterException."""
    broken = NamedQuery.objects.create(
        owner=User.objects.get(username="trace-admin"), name="broken", query={"EQ_colour": "red"}
    )
    save_query(admin_api, "all", {"GE_eventTime": "2000-01-01T00:00:00Z"})
    past = timezone.now() - dt.timedelta(minutes=5)
    for query in (broken, NamedQuery.objects.get(name="all")):
        Subscription.objects.create(
            owner=query.owner,
            query=query,
            dest=receiver.url,
            schedule={"minute": "0"},
            report_if_empty=True,
            initial_record_time=past,
            min_record_time=past,
            next_run_at=past,
        )
    call_command("epcis_subscriptions")
    run_worker()
    kinds = sorted(item["headers"]["Content-Type"] for item in receiver.received)
    assert kinds == ["application/ld+json", "application/problem+json"]
    problem = next(d for d in receiver.documents() if "status" in d)
    assert problem["type"] == "epcisException:QueryParameterException"
    assert Subscription.objects.filter(next_run_at__lte=timezone.now()).count() == 0
