from scpvn.registry.tests.conftest import media_in_tmp  # noqa: F401  (uploads to a tmp folder)
