#!/usr/bin/env bash
# Make `uv` available and the project's locked environment installed. Sourced by the other scripts;
# needs only Python 3.11+ on the machine (uv comes from PyPI).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if command -v uv >/dev/null 2>&1; then
  UV=(uv)
elif python3 -m uv --version >/dev/null 2>&1; then
  UV=(python3 -m uv)
else
  echo "installing uv from PyPI ..." >&2
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  if command -v uv >/dev/null 2>&1; then UV=(uv); else UV=(python3 -m uv); fi
fi
"${UV[@]}" sync --locked --quiet
