#!/usr/bin/env bash
# Runs every test in one pytest run: the library's unit tests and every notebook
# under nbval in fast mode on the offline data. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AIBOOK_MODE=fast AIBOOK_DATA=offline TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2} AIBOOK_STATIC=1
echo "==> running the tests (fast mode, offline data)"
start=$SECONDS
.venv/bin/python -m pytest tests notebooks \
  --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
  -p no:cacheprovider "$@"
echo "==> tests finished in $((SECONDS - start)) s"
