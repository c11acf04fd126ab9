#!/usr/bin/env bash
# The whole test suite: set up (Python packages, and Java/Chromium when we may install them),
# then pytest (which also runs ruff, mypy and the README commands).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/system-deps.sh
source scripts/bootstrap.sh
python -m pytest "$@"
