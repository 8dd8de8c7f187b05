"""Schemathesis against /api/schema/: generated requests to every operation, as the city
administrator, in-process through the WSGI app. No answer may be a 5xx, and every answer the
schema documents must match it. Bounded (few examples per operation, fixed seed) for CI;
raise SCPVN_FUZZ_EXAMPLES to dig deeper."""

import pytest
import schemathesis
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from scpvn.core.tests.fuzzing import fuzz_operation, keep_test_connection  # noqa: F401 (fixture)
from scpvn.wsgi import application


@pytest.mark.once_on_postgresql  # costly; PostgreSQL is stricter (lengths, types)
@pytest.mark.django_db
def test_api_answers_match_the_schema_and_never_5xx(users, mini_plan, keep_test_connection):  # noqa: F811
    token = Token.objects.create(user=users["city_admin"])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the API schema lists no operations"

    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    for operation in operations:
        fuzz_operation(operation, check)
