"""Login throttling, the Content-Security-Policy, and what templates may contain under it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

PASSWORD = "x-test-password-1"


@pytest.mark.django_db
def test_sixth_wrong_password_locks_out_with_a_vietnamese_message(client, users):
    url = reverse("login")
    for _attempt in range(5):
        response = client.post(url, {"username": "officer", "password": "sai-mat-khau"})
        assert response.status_code in (200, 429)
    response = client.post(url, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tài khoản đã bị tạm khóa" in body
    assert "_auth_user_id" not in client.session  # the right password does not get through


@pytest.mark.django_db
def test_wrong_passwords_below_the_limit_still_allow_signing_in(client, users):
    url = reverse("login")
    for _attempt in range(4):
        response = client.post(url, {"username": "officer", "password": "sai-mat-khau"})
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(url, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["agency_officer"].pk)


@pytest.mark.django_db
def test_lockout_is_per_user_name(client, users):
    """Someone hammering one name does not lock another officer out at another address."""
    for _attempt in range(6):
        client.post(reverse("login"), {"username": "officer", "password": "sai"})
    response = client.post(
        reverse("login"), {"username": "reviewer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_test_client_login_still_works(client, users):
    assert client.login(username="officer", password=PASSWORD)
    assert client.get(reverse("plans:list")).status_code == 200


@pytest.mark.django_db
def test_csp_header_has_a_fresh_nonce_and_no_inline_script(client, users):
    client.force_login(users["agency_officer"])
    first = client.get(reverse("plans:list"))["Content-Security-Policy"]
    second = client.get(reverse("plans:list"))["Content-Security-Policy"]
    script_src = next(d for d in first.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert re.search(r"'nonce-[\w-]{16,}'", script_src)
    assert "frame-ancestors 'none'" in first and "object-src 'none'" in first
    assert first != second


def test_api_docs_run_without_inline_script(client):
    """Swagger UI is served with its script as a separate file, so the CSP allows it."""
    page = client.get(reverse("api-docs")).content.decode()
    assert not INLINE_SCRIPT.search(page)


TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATE_ROOT.glob("*/templates/**/*.html")), ids=lambda p: p.name
)
def test_templates_have_no_script_the_csp_would_block(template):
    """Inline `<script>` needs `nonce="{{ request.csp_nonce }}"`; `onclick=`-style handlers and
    `javascript:` links never run under the policy: move them to a static .js file."""
    source = template.read_text(encoding="utf-8")
    problems = [
        f"{kind}: {match.group(0)[:80]}"
        for kind, pattern in (
            ("inline script without nonce", INLINE_SCRIPT),
            ("inline event handler", EVENT_HANDLER),
            ("javascript: URL", JS_URL),
        )
        for match in pattern.finditer(source)
    ]
    assert not problems, f"{template.relative_to(TEMPLATE_ROOT)}: {problems}"


@pytest.mark.django_db
def test_one_address_trying_passwords_on_many_accounts_is_locked(client, users):
    """Three wrong passwords on each of two accounts stay under the per-name limit; the
    address itself is locked, while the accounts still sign in from elsewhere."""
    url = reverse("login")
    for name in ("officer", "reviewer"):
        for _attempt in range(3):
            client.post(url, {"username": name, "password": "sai"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    elsewhere = client.post(
        url, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert elsewhere.status_code == 302
