import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def test_environment(settings, tmp_path):
    """Uploaded files (photos, source documents, import files) go to a temporary folder, and
    every test starts in Vietnamese whatever an earlier test activated."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override(settings.LANGUAGE_CODE):
        yield
