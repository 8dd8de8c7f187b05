import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def test_environment(settings, tmp_path):
    """Uploaded files (photos, source documents, import files) go to a temporary folder, and
    every test starts in Vietnamese whatever an earlier test activated."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def reference_data(transactional_db) -> None:
    """Districts, wards, VSIC codes, zones, questionnaires and district agencies, for tests
    on a transactional database (which an earlier such test may have flushed)."""
    from scpvn.assessments.services import load_questionnaires
    from scpvn.geo.services import load_reference_data as load_geo
    from scpvn.orgs.services import ensure_district_agencies
    from scpvn.registry.services import load_reference_data as load_registry

    load_geo()
    ensure_district_agencies()
    load_registry()
    load_questionnaires()
