#!/usr/bin/env bash
# What the dashboard's browser test needs from the system: Debian's `chromium` (Playwright drives
# /usr/bin/chromium; never `playwright install`) and a CJK font, without which Chinese renders
# as boxes. Installs them with apt-get when running as root and they are missing; otherwise says
# what is missing and exits 0, so the test suite can still run (the browser test then skips).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! fc-list 2>/dev/null | grep -qi -e "WenQuanYi" -e "Noto Sans CJK" -e "Noto Serif CJK"; then
  missing+=(fonts-wqy-microhei)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_browser: chromium and a CJK font are present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: missing ${missing[*]}; not root or no apt-get, so not installing (the browser test will skip)"
  exit 0
fi
echo "install_browser: installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null; then
  echo "install_browser: apt-get could not install ${missing[*]} (the browser test will skip)"
  exit 0
fi
fc-cache -f >/dev/null 2>&1 || true
echo "install_browser: installed ${missing[*]}"
