"""EPCIS 2.0 query subscriptions by webhook (openapi.yaml, /queries/{queryName}/subscriptions).

A user subscribes to one of their own named queries; what each delivery holds is that query
run with the owner's read scope *at delivery time* (a user never receives what they could
not query, and loses it when their access goes). Two kinds, as the binding says:
- stream (`stream: true`): after a capture commits (`capture.capture_committed`), the worker
  runs every stream subscription's query over that capture's events and sends the matches;
- scheduled (`schedule: {...}`, see `schedule.py`): `scpvn epcis_subscriptions` (a minute
  timer) queues `run_due_subscriptions`, which sends, for each subscription that is due, the
  events recorded since its last run (`reportIfEmpty`: an empty document too).
Each document is a Delivery row sent by the `deliver` task, signed (`webhooks.py`), retried
with doubling delays and given up after SCPVN_EPCIS_WEBHOOK_ATTEMPTS; every attempt is
logged on the row. `initialRecordTime` (default: now) is where the first delivery starts: a
scheduled subscription's first run covers events from it, a stream subscription given one
in the past is sent, once, the matching events recorded since.

The WebSocket form (GET /queries/{name}/events with Upgrade: websocket) is `sockets.py`:
the same controls (`subscription_controls`), the same documents (`stream_documents`,
`scheduled_documents`), sent on the socket instead of queued as Deliveries.
"""

import datetime as dt
import http.client
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from scpvn.trace import webhooks
from scpvn.trace.capture import capture_committed, query_scope
from scpvn.trace.models import Delivery, Event, Subscription
from scpvn.trace.namedqueries import as_params, namespaces_of, query_named
from scpvn.trace.repository import QueryError, filter_events, query_document
from scpvn.trace.schedule import ScheduleError, next_run
from scpvn.trace.validation import format_time_utc, parse_time_utc

FIELDS = {"dest", "signatureToken", "secret", "reportIfEmpty", "stream", "schedule"}
FIELDS |= {"initialRecordTime"}
TOKEN_LENGTH = 500
MAX_PER_USER = 50
MICROSECOND = dt.timedelta(microseconds=1)
LD_JSON = "application/ld+json"
PROBLEM_JSON = "application/problem+json"
SCHEDULE_FIELDS = ("second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek")
# The dest of a WebSocket subscription (never saved: it lives as long as its socket).
SOCKET_DEST = "websocket"


class SubscriptionError(ValueError):
    """A subscription body the binding does not allow (SubscriptionControlsException)."""


class NoSuchSubscription(LookupError):
    """No subscription of that id on that query for this user (NoSuchNameException)."""


# --- Service -----------------------------------------------------------------------------


def _boolean(body: dict, name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise SubscriptionError(f"{name} phải là true hoặc false")
    return value


def _initial_record_time(body: dict, now: dt.datetime) -> dt.datetime:
    if "initialRecordTime" not in body:
        return now
    try:
        return parse_time_utc(body["initialRecordTime"])
    except (ValueError, OverflowError):
        raise SubscriptionError(
            "initialRecordTime phải là thời điểm ISO 8601 có múi giờ, vd. 2024-01-01T00:00:00Z"
        ) from None


def subscription_controls(body: dict, now: dt.datetime) -> dict:
    """The fields of a subscription the binding's controls give (stream or schedule,
    reportIfEmpty, initialRecordTime), or SubscriptionError: one rule for a webhook's body
    and a WebSocket's query string."""
    stream = _boolean(body, "stream")
    report_if_empty = _boolean(body, "reportIfEmpty")
    schedule = body.get("schedule")
    if "stream" in body and not stream:
        raise SubscriptionError("stream chỉ nhận true; muốn nhận theo lịch, hãy gửi schedule")
    if stream == (schedule is not None):
        raise SubscriptionError(
            "Hãy đặt đúng một trong hai: stream: true (nhận ngay khi ghi nhận) "
            "hoặc schedule (nhận theo lịch)"
        )
    if stream and report_if_empty:
        raise SubscriptionError("reportIfEmpty chỉ dùng với schedule")
    initial = _initial_record_time(body, now)
    next_at = None
    if schedule is not None:
        try:
            next_at = next_run(schedule, now)
        except ScheduleError as error:
            raise SubscriptionError(str(error)) from error
        if next_at is None:
            raise SubscriptionError("schedule không bao giờ tới (vd. ngày 31 tháng 2)")
    return {
        "stream": stream,
        "schedule": schedule,
        "report_if_empty": report_if_empty,
        "initial_record_time": initial,
        "min_record_time": initial,
        "next_run_at": next_at,
    }


def create_subscription(user, query_name: str, body) -> Subscription:
    """Subscribe `user` to their named query (NoSuchQuery if they have none of that name).
    Raises SubscriptionError for a body the binding refuses and webhooks.DestinationRefused
    for a dest the repository will not send to."""
    named = query_named(user, query_name)
    if not isinstance(body, dict):
        raise SubscriptionError("Thân yêu cầu phải là một đối tượng {dest, stream | schedule}")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise SubscriptionError(f"Trường không được hỗ trợ: {', '.join(unknown)}")
    token = body.get("signatureToken", body.get("secret", ""))
    if not isinstance(token, str) or len(token) > TOKEN_LENGTH:
        raise SubscriptionError(f"signatureToken phải là chuỗi tối đa {TOKEN_LENGTH} ký tự")
    now = timezone.now()
    controls = subscription_controls(body, now)
    webhooks.check_dest(body.get("dest"))
    if Subscription.objects.filter(owner=user).count() >= MAX_PER_USER:
        raise SubscriptionError(f"Mỗi người dùng có tối đa {MAX_PER_USER} đăng ký")
    subscription = Subscription.objects.create(
        owner=user, query=named, dest=body["dest"], signature_token=token, **controls
    )
    if controls["stream"] and controls["initial_record_time"] < now:
        pk = str(subscription.pk)
        transaction.on_commit(lambda: catch_up.enqueue(pk))
    return subscription


def socket_subscription(user, query_name: str, params: QueryDict) -> Subscription:
    """A subscription for the life of one WebSocket (GET /queries/{name}/events with
    Upgrade), unsaved: the query string carries `stream=true` or the schedule fields
    (second … dayOfWeek), `reportIfEmpty` and `initialRecordTime`, checked as a webhook's
    body is. NoSuchQuery / SubscriptionError as `create_subscription`."""
    named = query_named(user, query_name)
    body: dict = {}
    for name in ("stream", "reportIfEmpty"):
        if name in params:
            word = params[name].strip().lower()
            if word not in ("true", "false"):
                raise SubscriptionError(f"{name} phải là true hoặc false")
            body[name] = word == "true"
    schedule = {name: params[name] for name in SCHEDULE_FIELDS if name in params}
    if schedule:
        body["schedule"] = schedule
    if "initialRecordTime" in params:
        body["initialRecordTime"] = params["initialRecordTime"]
    controls = subscription_controls(body, timezone.now())
    return Subscription(owner=user, query=named, dest=SOCKET_DEST, **controls)


def subscriptions_of(user, query_name: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(query=query_named(user, query_name)).select_related("query")


def subscription_of(user, query_name: str, subscription_id: str) -> Subscription:
    try:
        return subscriptions_of(user, query_name).get(pk=subscription_id)
    except (Subscription.DoesNotExist, ValueError, ValidationError) as exc:
        raise NoSuchSubscription(f"Không có đăng ký {subscription_id}") from exc


def unsubscribe(user, query_name: str, subscription_id: str) -> None:
    subscription_of(user, query_name, subscription_id).delete()


def describe(subscription: Subscription) -> dict:
    """The subscription as the binding's AbstractQuerySubscriptionResponse (no secret)."""

    def iso(value: dt.datetime | None) -> str | None:
        return format_time_utc(value) if value else None

    body = {
        "subscriptionID": str(subscription.pk),
        "queryName": subscription.query.name,
        "dest": subscription.dest,
        "createdAt": iso(subscription.created_at),
        "initialRecordTime": iso(subscription.initial_record_time),
        "minRecordTime": iso(subscription.min_record_time),
    }
    if subscription.last_notified_at:
        body["lastNotifiedAt"] = iso(subscription.last_notified_at)
    if subscription.stream:
        body["stream"] = True
    else:
        body["schedule"] = subscription.schedule
        body["reportIfEmpty"] = subscription.report_if_empty
    return body


# --- Building deliveries -----------------------------------------------------------------


def matching_events(subscription: Subscription) -> QuerySet[Event]:
    """The named query's events as its owner may read them now."""
    query = subscription.query.query
    return filter_events(
        as_params(query), query_scope(subscription.owner), namespaces=namespaces_of(query)
    )


def _problem_document(status: int, kind: str, detail: str) -> dict:
    return {"type": kind, "title": "Subscription error", "status": status, "detail": detail}


def _queue(subscription: Subscription, documents: list[tuple[dict, int, str]]) -> list[Delivery]:
    deliveries = []
    for document, count, content_type in documents:
        delivery = Delivery.objects.create(
            subscription=subscription,
            dest=subscription.dest,
            content_type=content_type,
            event_count=count,
            body=json.dumps(document, ensure_ascii=False),
        )
        deliver.enqueue(delivery.pk)
        deliveries.append(delivery)
    return deliveries


def documents_for(
    subscription: Subscription, events: QuerySet[Event], report_if_empty: bool
) -> list[tuple[dict, int, str]]:
    """The events as EPCISQueryDocuments (document, event count, content type) of at most
    SCPVN_EPCIS_WEBHOOK_BATCH events each (the binding: no paging in a POST, send in
    manageable batches). The query's own eventCountLimit caps the events; a result over its
    maxEventCount is the QueryTooLargeException problem, as the binding says server-side
    errors are sent."""
    params = as_params(subscription.query.query)
    try:
        limit = int(params["eventCountLimit"]) if "eventCountLimit" in params else None
        most = int(params["maxEventCount"]) if "maxEventCount" in params else None
    except ValueError:
        limit = most = None
    if most is not None and events.count() > most:
        problem = _problem_document(
            413,
            "epcisException:QueryTooLargeException",
            f"Truy vấn {subscription.query.name} khớp hơn {most} sự kiện (maxEventCount)",
        )
        return [(problem, 0, PROBLEM_JSON)]
    found = list(
        events.select_related("capture")[:limit] if limit else events.select_related("capture")
    )
    if not found and not report_if_empty:
        return []
    size = settings.SCPVN_EPCIS_WEBHOOK_BATCH
    documents = []
    for start in range(0, max(len(found), 1), size):
        chunk = found[start : start + size]
        document = query_document(chunk, subscription.query.name)
        document["epcisBody"]["queryResults"]["subscriptionID"] = str(subscription.pk)
        documents.append((document, len(chunk), LD_JSON))
    return documents


def scheduled_documents(
    subscription: Subscription, now: dt.datetime
) -> list[tuple[dict, int, str]]:
    """A scheduled run's documents: the events recorded from min_record_time up to a moment
    far enough back that captures still committing are not skipped
    (SCPVN_EPCIS_SUBSCRIPTION_SETTLE). Moves min_record_time and next_run_at on the
    instance; the caller saves (a webhook) or keeps it (a WebSocket)."""
    upper = now - dt.timedelta(seconds=settings.SCPVN_EPCIS_SUBSCRIPTION_SETTLE)
    documents = []
    if upper > subscription.min_record_time:
        try:
            events = matching_events(subscription).filter(
                record_time__gte=subscription.min_record_time, record_time__lt=upper
            )
        except QueryError as error:  # a saved query this version no longer answers
            problem = _problem_document(400, "epcisException:QueryParameterException", str(error))
            documents = [(problem, 0, PROBLEM_JSON)]
        else:
            documents = documents_for(subscription, events, subscription.report_if_empty)
        subscription.min_record_time = upper
    subscription.next_run_at = next_run(subscription.schedule, now)
    return documents


def run_subscription(subscription: Subscription, now: dt.datetime) -> list[Delivery]:
    """A scheduled webhook run (`scheduled_documents`), queued and saved."""
    deliveries = _queue(subscription, scheduled_documents(subscription, now))
    subscription.save(update_fields=["min_record_time", "next_run_at"])
    return deliveries


def stream_documents(subscription: Subscription, capture_id) -> list[tuple[dict, int, str]]:
    """A stream subscription's documents for one committed capture: its events that the
    query matches, as the owner may read them now; none for a query this version no longer
    answers. Moves min_record_time past them on the instance."""
    try:
        events = matching_events(subscription).filter(capture_id=capture_id)
    except QueryError:
        return []
    documents = documents_for(subscription, events, report_if_empty=False)
    latest = events.order_by("-record_time").values_list("record_time", flat=True).first()
    if latest is not None and latest >= subscription.min_record_time:
        subscription.min_record_time = latest + MICROSECOND
    return documents


def catch_up_documents(
    subscription: Subscription, until: dt.datetime
) -> list[tuple[dict, int, str]]:
    """A stream subscription's first documents when its initialRecordTime is in the past:
    the matching events recorded from it until `until` (when it was made)."""
    try:
        events = matching_events(subscription).filter(
            record_time__gte=subscription.initial_record_time, record_time__lt=until
        )
    except QueryError:
        return []
    return documents_for(subscription, events, report_if_empty=False)


# --- Background tasks --------------------------------------------------------------------


@receiver(capture_committed)
def _on_capture(sender, capture_id, **kwargs) -> None:
    if Subscription.objects.filter(stream=True).exists():
        notify_capture.enqueue(str(capture_id))


@task()
def notify_capture(capture_id: str) -> int:
    """Stream subscriptions: send each the events of this capture that its query matches."""
    sent = 0
    for subscription in Subscription.objects.filter(stream=True).select_related("query", "owner"):
        with transaction.atomic():
            before = subscription.min_record_time
            deliveries = _queue(subscription, stream_documents(subscription, capture_id))
            if subscription.min_record_time != before:
                subscription.save(update_fields=["min_record_time"])
        sent += len(deliveries)
    return sent


@task()
def catch_up(subscription_id: str) -> int:
    """A stream subscription's first delivery when its initialRecordTime is in the past."""
    subscription = (
        Subscription.objects.select_related("query", "owner").filter(pk=subscription_id).first()
    )
    if subscription is None:
        return 0
    with transaction.atomic():
        return len(_queue(subscription, catch_up_documents(subscription, subscription.created_at)))


@task()
def run_due_subscriptions() -> int:
    """Scheduled subscriptions whose time has come (queued each minute by
    `scpvn epcis_subscriptions`); a subscription locked by another worker is left to it."""
    now = timezone.now()
    due = Subscription.objects.filter(stream=False, next_run_at__lte=now)
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            subscription = (
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("query", "owner")
                .filter(pk=pk)
                .first()
            )
            if subscription is not None:
                sent += len(run_subscription(subscription, now))
    return sent


def retry_delay(attempts: int) -> dt.timedelta:
    """Doubling from SCPVN_EPCIS_WEBHOOK_BACKOFF seconds, at most an hour."""
    seconds = settings.SCPVN_EPCIS_WEBHOOK_BACKOFF * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 3600))


@task()
def deliver(delivery_id: int) -> str:
    """One attempt to POST a delivery; on failure, queue the next after a delay, or give up
    after SCPVN_EPCIS_WEBHOOK_ATTEMPTS. A 2xx answer is success (the binding: 200)."""
    delivery = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != Delivery.State.PENDING:
        return delivery.state if delivery else "missing"
    subscription = delivery.subscription
    now = timezone.now()
    status, error = None, ""
    if subscription is None:
        error = "unsubscribed"
    else:
        try:
            status = webhooks.post(
                delivery.dest,
                delivery.body.encode(),
                subscription.signature_token,
                content_type=delivery.content_type,
            )
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except webhooks.DestinationRefused as exc:
            error = str(exc)
        except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timeout…
            error = f"{type(exc).__name__}: {exc}"
    delivery.attempts += 1
    delivery.log.append({"at": now.isoformat(), "status": status, "error": error})
    if not error:
        delivery.state = Delivery.State.DELIVERED
        delivery.finished_at = now
        delivery.body = ""
        Subscription.objects.filter(pk=subscription.pk).update(last_notified_at=now)
    elif subscription is None or delivery.attempts >= settings.SCPVN_EPCIS_WEBHOOK_ATTEMPTS:
        delivery.state = Delivery.State.FAILED
        delivery.finished_at = now
    else:
        deliver.using(run_after=now + retry_delay(delivery.attempts)).enqueue(delivery.pk)
    delivery.save()
    return delivery.state
