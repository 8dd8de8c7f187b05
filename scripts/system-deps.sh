#!/usr/bin/env bash
# Debian packages the test suite and the report builder need: Chromium for the browser tests,
# Pango for WeasyPrint's PDFs, Liberation Serif 2.x (Times New Roman metrics and, unlike the
# 1.07 of fonts-liberation, every Vietnamese letter) embedded in every PDF, poppler-utils
# (pdffonts, pdfsig) with which the tests read those PDFs, SoftHSM2 standing in for a USB token,
# wrk (a compiled HTTP load generator) for `make bench`, nginx-light with which a test checks the
# shipped nginx site.
# Installs only what is missing, and only where it can (root with apt-get); otherwise says what
# to install and fails, so a missing package is never discovered halfway through the tests.
set -euo pipefail
needed=(chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core poppler-utils
  softhsm2 wrk nginx-light)
missing=()
for pkg in "${needed[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Cài gói hệ thống còn thiếu (installing missing system packages): ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Thiếu gói hệ thống (missing system packages): ${missing[*]}" >&2
  echo "Cài bằng (install with): sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
