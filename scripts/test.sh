#!/usr/bin/env bash
# The project's test command: installs what the tests need, then lint and the whole suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
"${UV[@]}" run ruff check .
"${UV[@]}" run pytest "$@"
