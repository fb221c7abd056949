#!/usr/bin/env bash
# Set everything up, then run the checks and the tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check jianbao tests
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
