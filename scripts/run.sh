#!/usr/bin/env bash
# The main job: generate a demo city (once), evaluate it, publish the results (and, once the
# dashboard exists, serve it). Arguments go to `fec demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec "${UV[@]}" run fec demo "$@"
