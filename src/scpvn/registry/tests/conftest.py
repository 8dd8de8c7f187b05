import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files (photos, source documents, import files) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
