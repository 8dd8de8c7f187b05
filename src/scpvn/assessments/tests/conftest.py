from scpvn.registry.tests.conftest import test_environment  # noqa: F401  (tmp media, vi)
