#!/usr/bin/env bash
# Sets up everything the book build needs on a fresh machine, without root, and is safe to
# run twice: a virtual environment (.venv) with the pinned requirements, the book's library
# (lib/aibook, editable), the offline data sets, and the site's MathJax and Mermaid (pinned
# npm packages, served by the site itself). The browser the tests drive is not installed
# here: scripts/test.sh calls scripts/install_browser.sh.
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
want=$( (cat requirements.txt requirements-nodeps.txt pyproject.toml) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the pinned requirements and the aibook library (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --no-compile -r requirements.txt
  .venv/bin/python -m pip install --quiet --no-compile --no-deps -r requirements-nodeps.txt
  echo "$want" > "$stamp"
else
  say "requirements already installed"
fi

say "fetching the offline data (checked by SHA-256, cached in $(.venv/bin/python -m aibook.config data-dir))"
.venv/bin/python -m aibook.data fetch
say "unpacking the site's MathJax and Mermaid from their pinned npm packages into _site_extra/"
.venv/bin/python scripts/vendor_assets.py

say "set-up done"
