#!/usr/bin/env bash
# Runs every test in one pytest run: every notebook under nbval (fast mode, offline data),
# the browser tests, which build the site from the notebooks' executions in this same run
# (no notebook is executed twice), serve it on 127.0.0.1 and open every page in headless
# Chromium with the network cut, and the library's unit tests beside them.
# Sets up as the build does, then installs Chromium (scripts/install_browser.sh: apt-get,
# so root or password-less sudo the first time; without them it prints the apt-get line to
# run as root and this command fails). The settings come from `python -m aibook.config
# exports --tests`: fast mode and offline data, whatever the environment says.
# Extra arguments go to pytest.
#   AIBOOK_TEST_WORKERS=N   run on N pytest-xdist workers (default 2, one a core: each notebook's
#                           kernel computes on one thread, aibook.config.KERNEL_THREADS, so two
#                           run side by side; 0: one process, the same outputs, about twice as long)
#   AIBOOK_SITE_OUTPUT=DIR  build the tested site into DIR/_build/html (default ./_build/html)
set -euo pipefail
cd "$(dirname "$0")/.."
# Let Python cache the byte-code of what it imports (.venv's packages, the library). Where
# PYTHONDONTWRITEBYTECODE is set (it is on the machine the tests were timed on) nothing is ever
# cached, and every notebook kernel and test subprocess compiles TensorFlow and Keras again:
# `import keras` takes 24 s instead of 10 s. Cached as they are first imported, rather than
# compiling all of .venv at set-up (38 s for 15,360 modules; the whole test command imports 6,949).
unset PYTHONDONTWRITEBYTECODE
bash scripts/setup.sh
bash scripts/install_browser.sh
exports=$(.venv/bin/python -m aibook.config exports --tests)  # two steps: set -e sees a failure
eval "$exports"
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
workers=${AIBOOK_TEST_WORKERS:-2}
parallel=()
if [ "$workers" != 0 ]; then
  # --dist loadfile: all cells of a notebook run in one worker, on one kernel.
  # --no-loadscope-reorder: hand out files in conftest.py's order (notebooks, browser tests,
  # unit tests), not largest file first, which starts the browser tests (the most items)
  # at once on one worker, to wait there for every notebook while the other runs them alone.
  parallel=(-n "$workers" --dist loadfile --no-loadscope-reorder)
fi
echo "==> running the tests (fast mode, offline data): every notebook (nbval), then the site in Chromium beside the unit tests"
start=$SECONDS
.venv/bin/python -m pytest tests notebooks "${parallel[@]}" \
  --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
  -p no:cacheprovider "$@"
echo "==> tests finished in $((SECONDS - start)) s; screenshots and requests per page in test-artifacts/site/"
