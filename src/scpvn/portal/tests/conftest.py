import pytest

from scpvn.core.tests.test_browser import page  # noqa: F401  (the browser fixture)
from scpvn.geo.models import District
from scpvn.geo.services import load_reference_data


@pytest.fixture(autouse=True)
def reference_data(db):
    """Transactional tests may follow one that flushed the districts; reload them."""
    if not District.objects.filter(code="006").exists():
        load_reference_data()
