#!/usr/bin/env bash
# Builds the book into _build/html: sets everything up, executes every chapter in
# fast mode on the offline data (cached: unchanged chapters are not run again) and
# fails on any execution error or Sphinx warning.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AIBOOK_MODE=${AIBOOK_MODE:-fast} AIBOOK_DATA=${AIBOOK_DATA:-offline} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} AIBOOK_STATIC=1
echo "==> building the book ($AIBOOK_MODE mode, $AIBOOK_DATA data)"
start=$SECONDS
.venv/bin/jupyter-book build . --warningiserror --nitpick --keep-going
echo "==> book built in $((SECONDS - start)) s: open _build/html/index.html"
