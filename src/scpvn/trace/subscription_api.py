"""EPCIS 2.0 REST: /epcis/queries/{queryName}/subscriptions[/{subscriptionID}] (webhooks).

Thin, like `epcis.py`: the rules are in `subscriptions.py`. A subscription is its owner's
alone (another user gets 404, as for named queries). Refusals are problem+json with the
binding's exception types: SubscriptionControlsException for a body it does not allow,
NoSuchNameException for an unknown query or subscription.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from scpvn.core.jsonlimits import read_json
from scpvn.orgs.roles import ALL_ROLES
from scpvn.trace.epcis import EPCIS_HEADERS, JSON_TYPES, EPCISView, epcis_problem
from scpvn.trace.errors import TraceErrorCode
from scpvn.trace.namedqueries import NoSuchQuery
from scpvn.trace.subscriptions import (
    NoSuchSubscription,
    SubscriptionError,
    create_subscription,
    describe,
    subscription_of,
    subscriptions_of,
    unsubscribe,
)
from scpvn.trace.webhooks import DestinationRefused

CONTROLS = "epcisException:SubscriptionControlsException"


def _json(body, status: int = 200, **headers) -> JsonResponse:
    return JsonResponse(
        body,
        status=status,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
        headers={**EPCIS_HEADERS, **headers},
    )


def _not_found(error: LookupError) -> JsonResponse:
    return epcis_problem(404, str(error), TraceErrorCode.NO_SUCH_NAME)


class SubscriptionsView(EPCISView):
    """GET: the query's subscriptions; POST: subscribe (201, Location of the new one)."""

    write_roles = ALL_ROLES  # subscribing reads events; it writes none

    def get(self, request, name):
        try:
            found = [describe(s) for s in subscriptions_of(request.user, name)]
        except NoSuchQuery as error:
            return _not_found(error)
        return _json(found)

    def post(self, request, name):
        content_type = request.content_type.split(";")[0].strip()
        if content_type not in JSON_TYPES:
            return epcis_problem(
                415,
                "Chỉ nhận application/json hoặc application/ld+json",
                TraceErrorCode.UNSUPPORTED_MEDIA_TYPE,
            )
        try:
            body = read_json(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            return epcis_problem(
                400,
                f"Nội dung không phải JSON hợp lệ: {error}",
                TraceErrorCode.SUBSCRIPTION_CONTROLS,
                type=CONTROLS,
            )
        try:
            subscription = create_subscription(request.user, name, body)
        except NoSuchQuery as error:
            return _not_found(error)
        except SubscriptionError as error:
            return epcis_problem(
                400, str(error), TraceErrorCode.SUBSCRIPTION_CONTROLS, type=CONTROLS
            )
        except DestinationRefused as error:
            return epcis_problem(400, str(error), TraceErrorCode.DESTINATION_REFUSED, type=CONTROLS)
        location = reverse(
            "trace:subscription",
            kwargs={"name": name, "subscription_id": subscription.pk},
        )
        return _json(describe(subscription), status=201, Location=location)


class SubscriptionView(EPCISView):
    """GET: one subscription (is it still active?); DELETE: unsubscribe."""

    write_roles = ALL_ROLES

    def get(self, request, name, subscription_id):
        try:
            return _json(describe(subscription_of(request.user, name, subscription_id)))
        except (NoSuchQuery, NoSuchSubscription) as error:
            return _not_found(error)

    def delete(self, request, name, subscription_id):
        try:
            unsubscribe(request.user, name, subscription_id)
        except (NoSuchQuery, NoSuchSubscription) as error:
            return _not_found(error)
        return HttpResponse(status=204, headers=EPCIS_HEADERS)
