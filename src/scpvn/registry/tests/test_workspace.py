"""An enterprise user lands on its own workspace, not on a staff page that answers 403."""

import pytest
from django.urls import reverse

from scpvn.geo.models import District
from scpvn.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_enterprise(users):
    own = Enterprise.objects.create(
        tax_code="0100109106",
        name="Siêu thị Xanh",
        district=District.objects.get(code="006"),
        vsic_code="47111",
    )
    own.members.add(users["enterprise_user"])
    Enterprise.objects.create(
        tax_code="0100233583",
        name="Siêu thị Đỏ",
        district=District.objects.get(code="001"),
        vsic_code="47111",
    )
    return own


def test_enterprise_user_lands_on_its_workspace(client, users, own_enterprise):
    client.force_login(users["enterprise_user"])
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("registry:workspace")
    assert "Siêu thị Xanh" in response.text
    assert "Siêu thị Đỏ" not in response.text  # another enterprise's name never shows
    assert "Phiếu khảo sát cần trả lời" in response.text
    assert "Sản phẩm và lô hàng" in response.text
    assert "Đăng ký hội chợ" in response.text


def test_staff_do_not_open_the_workspace(client, users):
    client.force_login(users["agency_officer"])
    assert client.get(reverse("registry:workspace")).status_code == 403
    assert client.get(reverse("home")).url == reverse("progress:dashboard")
