#!/usr/bin/env bash
# Builds the book into _build/html: sets everything up, executes every chapter in
# fast mode on the offline data and fails on any execution error or Sphinx warning
# (broken cross-reference, unknown glossary term, missing citation included).
#
# Executed notebooks are cached in _build/.jupyter_cache, keyed by their code cells:
# an unchanged rebuild executes nothing. The cache remembers the mode it was filled
# in, and is emptied when the mode changes (a full-mode build never shows fast-mode
# outputs). Extra arguments go to `jupyter-book build` (e.g. --all: re-read every page).
#   AIBOOK_SITE_OUTPUT=DIR   build into DIR/_build/html instead of ./_build/html
#   AIBOOK_SKIP_SETUP=1      skip scripts/setup.sh (the test command has just run it)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${AIBOOK_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
export AIBOOK_MODE=${AIBOOK_MODE:-fast} AIBOOK_DATA=${AIBOOK_DATA:-offline} TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} AIBOOK_STATIC=1
out=${AIBOOK_SITE_OUTPUT:-.}
build="$out/_build"
env_stamp="$build/.aibook-execution-env"
want="AIBOOK_MODE=$AIBOOK_MODE AIBOOK_DATA=$AIBOOK_DATA AIBOOK_STATIC=$AIBOOK_STATIC"
if [ -d "$build/.jupyter_cache" ] && [ "$(cat "$env_stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> the execution cache was filled with '$(cat "$env_stamp" 2>/dev/null || echo "unknown settings")'; emptying it for '$want'"
  rm -rf "$build/.jupyter_cache"
fi
mkdir -p "$build"
echo "$want" > "$env_stamp"
echo "==> building the book into $build/html ($AIBOOK_MODE mode, $AIBOOK_DATA data; cached notebooks are not run again)"
start=$SECONDS
.venv/bin/jupyter-book build . --path-output "$out" --warningiserror --nitpick --keep-going "$@"
echo "==> book built in $((SECONDS - start)) s: serve it with"
echo "    .venv/bin/python -m http.server --bind 127.0.0.1 --directory $build/html 8000"
