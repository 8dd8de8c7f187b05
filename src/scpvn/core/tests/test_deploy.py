"""The shipped nginx site (deploy/nginx-scpvn.conf) is one that nginx accepts: `nginx -t` on it,
inside a minimal main configuration, with a throwaway certificate in place of Let's Encrypt's.
A directive the packaged nginx does not know (Debian 12's 1.22 refused `http2 on;`) fails here
rather than on a department's server."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
SITE = ROOT / "deploy" / "nginx-scpvn.conf"
LETSENCRYPT = "/etc/letsencrypt/live/scp.example.vn/"

pytestmark = pytest.mark.skipif(
    not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(),
    reason="nginx không có (not installed): scripts/system-deps.sh cài nginx-light",
)


def test_nginx_accepts_the_shipped_site(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=scp.example.vn", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = SITE.read_text(encoding="utf-8")
    assert site.count(LETSENCRYPT) == 2, "the site names its certificate and key"
    (tmp_path / "site.conf").write_text(site.replace(LETSENCRYPT, f"{tmp_path}/"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
