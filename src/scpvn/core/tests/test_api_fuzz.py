"""Schemathesis against /api/schema/: generated requests to every operation, as the city
administrator, in-process through the WSGI app. No answer may be a 5xx, and every answer the
schema documents must match it. Bounded (few examples per operation, fixed seed) for CI;
raise SCPVN_FUZZ_EXAMPLES to dig deeper."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from scpvn.wsgi import application

EXAMPLES = int(os.environ.get("SCPVN_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def keep_test_connection():
    """Requests through the WSGI app end with `close_old_connections`, which would close the
    test's open transaction on PostgreSQL; Django's own test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_match_the_schema_and_never_5xx(users, mini_plan, keep_test_connection):
    token = Token.objects.create(user=users["city_admin"])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API schema lists no operations"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        fuzz()
