#!/usr/bin/env bash
# Install what the tests need outside Python, when missing: Java (HermiT), Chromium (browser
# tests) and Virtuoso (the second real SPARQL server; its -bin package only: virtuoso-t and
# isql-vt, without the system service that would listen on every address). Uses apt-get, so it
# needs root (CI runs as root); otherwise it says what to install.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: missing system packages (${need[*]}); install them with apt-get as root," \
       "or the tests that need them are skipped" >&2
fi
