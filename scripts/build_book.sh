#!/usr/bin/env bash
# Builds the book into _build/html: sets everything up (no root, no browser needed), executes
# every chapter in fast mode on the offline data and fails on any execution error or Sphinx
# warning (broken cross-reference, unknown glossary term, missing citation included).
#
# The run's settings come from their one owner, `python -m aibook.config exports`: fast mode,
# offline data, widgets drawn once; AIBOOK_MODE=full or AIBOOK_DATA=online set beforehand win.
#
# Executed notebooks are cached in _build/.jupyter_cache, keyed by their code cells:
# an unchanged rebuild executes nothing. The cache remembers the settings it was filled
# with (`python -m aibook.config stamp`), and is emptied when they change (a full-mode build
# never shows fast-mode outputs). Extra arguments go to `jupyter-book build` (e.g. --all:
# re-read every page).
#   AIBOOK_SITE_OUTPUT=DIR   build into DIR/_build/html instead of ./_build/html
#   AIBOOK_SKIP_SETUP=1      skip scripts/setup.sh (the test command has just run it)
set -euo pipefail
cd "$(dirname "$0")/.."
# Let Python cache the byte-code of what it imports; scripts/test.sh says why.
unset PYTHONDONTWRITEBYTECODE
if [ "${AIBOOK_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi
# Two steps: under `set -e` a bad setting (AIBOOK_MODE=turbo) stops the build here, which a
# failing command inside `eval "$(...)"` would not.
exports=$(.venv/bin/python -m aibook.config exports)
eval "$exports"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
out=${AIBOOK_SITE_OUTPUT:-.}
build="$out/_build"
env_stamp="$build/.aibook-execution-env"
want=$(.venv/bin/python -m aibook.config stamp)
if [ -d "$build/.jupyter_cache" ] && [ "$(cat "$env_stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> the execution cache was filled with '$(cat "$env_stamp" 2>/dev/null || echo "unknown settings")'; emptying it for '$want'"
  rm -rf "$build/.jupyter_cache"
fi
mkdir -p "$build"
echo "$want" > "$env_stamp"
echo "==> building the book into $build/html ($want; cached notebooks are not run again)"
start=$SECONDS
.venv/bin/jupyter-book build . --path-output "$out" --warningiserror --nitpick --keep-going "$@"
echo "==> book built in $((SECONDS - start)) s: serve it with"
echo "    .venv/bin/python -m http.server --bind 127.0.0.1 --directory $build/html 8000"
