"""A competitiveness survey and its registry, for the tests that issue its reports."""

from scpvn.network.tests.fixtures import deliverable, dongda, make_enterprise, sct  # noqa: F401
from scpvn.surveys.tests.fixtures import questionnaire, registry, survey  # noqa: F401
