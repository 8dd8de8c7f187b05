"""Schemathesis against GS1's own OpenAPI document of the EPCIS 2.0 REST bindings (carried in
`standards/openapi.yaml`), for every operation scpvn implements under /epcis/: generated
requests, in-process through the WSGI app, as the city administrator and as an enterprise
user (whose captures go through the write scope). No answer may be a 5xx. Bounded: see
`scpvn.core.tests.fuzzing`.

The document points at GS1's web site for the event schemas; with no network in tests, a
remote reference becomes an open schema, and the captured document a skeleton of the
EPCISDocument that reaches the event checks instead of stopping at its first field."""

import re
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.urls import Resolver404, resolve
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from scpvn.core.tests.fuzzing import fuzz_operation, keep_test_connection  # noqa: F401 (fixture)
from scpvn.trace.tests.factories import harvested_lot
from scpvn.trace.validation import EVENT_TYPES
from scpvn.wsgi import application

OPENAPI = Path(__file__).resolve().parents[1] / "standards" / "openapi.yaml"
PLACEHOLDER = "00000000-0000-4000-8000-000000000000"
EPCIS_DOCUMENT = {
    "type": "object",
    "required": ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
    "properties": {
        "@context": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
        "type": {"enum": ["EPCISDocument"]},
        "schemaVersion": {"enum": ["2.0"]},
        "creationDate": {"type": "string"},
        "epcisBody": {
            "type": "object",
            "required": ["eventList"],
            "properties": {
                "eventList": {
                    "type": "array",
                    "maxItems": 3,
                    "items": {
                        "type": "object",
                        "required": ["type", "eventTime", "eventTimeZoneOffset"],
                        "properties": {
                            "type": {"enum": list(EVENT_TYPES)},
                            "action": {"enum": ["ADD", "OBSERVE", "DELETE"]},
                            "eventTime": {"type": "string"},
                            "eventTimeZoneOffset": {"type": "string"},
                            "epcList": {
                                "type": "array",
                                "maxItems": 2,
                                "items": {"type": "string"},
                            },
                            "bizStep": {"type": "string"},
                            "readPoint": {
                                "type": "object",
                                "properties": {"id": {"type": "string"}},
                            },
                        },
                    },
                }
            },
        },
    },
}


def _offline(node):
    """The document with its references to gs1.github.io resolved locally (see above)."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("http"):
            return EPCIS_DOCUMENT if ref.endswith("/definitions/epcisDocument") else {}
        return {key: _offline(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_offline(value) for value in node]
    return node


def _implemented(operation) -> bool:
    path = "/epcis" + re.sub(r"\{[^}]+\}", PLACEHOLDER, operation.path)
    try:
        view = resolve(path).func.view_class
    except (Resolver404, AttributeError):
        return False
    return hasattr(view, operation.method.lower())


@pytest.fixture
def epcis_schema():
    raw = _offline(yaml.safe_load(OPENAPI.read_text()))
    raw["servers"] = [{"url": "/epcis"}]
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    return schema


@pytest.mark.once_on_postgresql  # costly; PostgreSQL is stricter (lengths, types)
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["city_admin", "enterprise_user"])
def test_epcis_answers_never_5xx(request, epcis_schema, enterprise, keep_test_connection, who):  # noqa: F811
    harvested_lot(enterprise)  # something to find, for the queries
    user = request.getfixturevalue(who)
    headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    operations = [
        op for result in epcis_schema.get_all_operations() if _implemented(op := result.ok())
    ]
    assert len(operations) >= 12, [f"{op.method} {op.path}" for op in operations]
    if who == "enterprise_user":  # the reads are the same code; the write scope is capture's
        operations = [op for op in operations if op.method.upper() == "POST"]
    statuses: set[int] = set()

    def check(case):
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    for operation in operations:
        fuzz_operation(operation, check)
    # The requests reached the views (not only the authentication in front of them).
    assert statuses & {200, 202, 400}, statuses
