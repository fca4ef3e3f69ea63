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
# Byte-compile at install time: where PYTHONDONTWRITEBYTECODE is set (as in CI), Python never
# caches .pyc files itself and every `fec` process would compile Dagster, GX and our own modules
# from source again (about 8 s of every run). Both steps only compile what changed.
"${UV[@]}" sync --locked --quiet --compile-bytecode
"${UV[@]}" run --locked --quiet python -m compileall -q -j 0 pipelines assets checks dashboard generator benchmarks >/dev/null
