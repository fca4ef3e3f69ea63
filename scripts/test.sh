#!/usr/bin/env bash
# The project's test command: installs what the tests need, then lint and the whole suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bash scripts/install_browser.sh   # Debian's chromium + a CJK font for the browser test (skips itself if it can't)
"${UV[@]}" run ruff check .
"${UV[@]}" run pytest "$@"
