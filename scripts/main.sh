#!/usr/bin/env bash
# The main job: set up, build the graph, validate it, print stats, answer the competency
# questions and write the interactive HTML graph (graphs/policykg.html).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
policykg run "$@"
