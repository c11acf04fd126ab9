#!/usr/bin/env bash
# The whole test suite: set up (Python packages, and Java/Chromium when we may install them),
# then pytest (which also runs ruff, mypy and the README commands).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/system-deps.sh
source scripts/bootstrap.sh
# The tests are spread over the machine's cores (pytest-xdist, one worker per core: on CI's two
# cores the suite takes about half the time), handed out longest first and a module that builds a
# server, a browser or a corpus whole to one worker (tests/slow_first.py, and --dist in
# pyproject.toml). Add -n 0 to run them in this one process.
python -m pytest -n auto "$@"
