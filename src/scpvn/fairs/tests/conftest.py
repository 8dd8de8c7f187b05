"""The network's shared test fixtures (the programme's agency, district, enterprises)."""

from scpvn.network.tests.fixtures import (  # noqa: F401  (pytest fixtures)
    actor,
    deliverable,
    dongda,
    make_enterprise,
    make_fair,
    page,
    reference_data,
    sct,
)
