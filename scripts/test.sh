#!/usr/bin/env bash
# Set everything up, then run the checks and the tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check jianbao tests
.venv/bin/ruff format --check jianbao tests
.venv/bin/mypy
# The tests run on every core (pytest-xdist); each test file stays in one process, so the fixtures a file
# builds once are built once. Arguments go to pytest (e.g. -m "not slow", or -n 0 for one process).
.venv/bin/python -m pytest -n "$(nproc)" --dist loadfile "$@"
