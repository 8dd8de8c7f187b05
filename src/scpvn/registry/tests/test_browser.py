"""Real browser: the import page, from upload to the result and its progress bar."""

import pytest

from scpvn.core.tests.test_browser import ARTIFACTS, login, page  # noqa: F401
from scpvn.registry.models import Enterprise
from scpvn.registry.tests.test_import import GOOD, xlsx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.usefixtures("reference_data")
def test_upload_shows_result_and_progress(page, live_server, mini_plan, tmp_path, settings):  # noqa: F811
    from scpvn.conftest import make_user
    from scpvn.orgs.models import Agency

    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("canbo", "agency_officer", Agency.objects.get(code="SCT"))
    upload = tmp_path / "doanh-nghiep.xlsx"
    upload.write_bytes(xlsx(GOOD))
    login(page, live_server, "canbo", "x-test-password-1")
    page.goto(f"{live_server.url}/registry/import/")
    page.get_by_label("Tệp XLSX hoặc CSV").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và nhập").click()
    page.get_by_role("status").wait_for()
    assert "Đã tạo mới 3" in page.get_by_role("status").inner_text()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "registry-import.png"), full_page=True)
    assert Enterprise.objects.count() == 3
