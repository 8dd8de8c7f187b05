from scpvn.registry.tests.conftest import reference_data, test_environment  # noqa: F401
