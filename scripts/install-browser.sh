#!/usr/bin/env bash
# Installs Debian's Chromium, which the console's browser tests drive (test/browser), unless it is there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium at /usr/bin/chromium (or PRISM_CHROMIUM); install it with your package manager." >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian's chromium for the browser tests (apt-get install chromium)…" >&2
"${as_root[@]}" apt-get install -y -qq chromium >/dev/null ||
  { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; }
