"""The bounded Schemathesis run shared by the API fuzz tests (scpvn's own schema and GS1's
EPCIS OpenAPI document): few examples per operation and a fixed seed, so CI is repeatable
and short; raise SCPVN_FUZZ_EXAMPLES to dig deeper."""

import os
from collections.abc import Callable

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

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


def fuzz_operation(operation, check: Callable) -> None:
    """Run `check(case)` on the generated cases of one Schemathesis operation."""

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
        check(case)

    fuzz()
