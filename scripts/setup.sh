#!/usr/bin/env bash
# Sets up everything the book needs on a fresh machine, and is safe to run twice:
# a virtual environment (.venv) with the pinned requirements, the book's library
# (lib/aibook, editable), the offline data sets, the site's MathJax and Mermaid
# (pinned npm packages, served by the site itself), and Debian's Chromium for the
# browser tests (Playwright drives it; no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*"; }

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment .venv ($($PYTHON --version))"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when requirements.txt or pyproject.toml changed since the last set-up.
stamp=.venv/.aibook-requirements
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the pinned requirements and the aibook library (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
else
  say "requirements already installed"
fi

say "fetching the offline data (checked by SHA-256, cached in ${AIBOOK_DATA_DIR:-~/.cache/aibook})"
.venv/bin/python -m aibook.data fetch
say "unpacking the site's MathJax and Mermaid from their pinned npm packages into _site_extra/"
.venv/bin/python scripts/vendor_assets.py

# The browser tests drive Debian's Chromium (a CJK font so the glossary's Chinese renders).
CHROMIUM=${AIBOOK_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  say "Chromium already installed ($CHROMIUM)"
else
  say "installing Debian's chromium for the browser tests (apt-get; about a minute)"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else
      echo "setup: $CHROMIUM is missing and this user cannot run apt-get; as root run:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation fonts-wqy-microhei" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    chromium fonts-liberation fonts-wqy-microhei >/dev/null
fi
say "set-up done"
