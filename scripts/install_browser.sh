#!/usr/bin/env bash
# Installs the system packages the tests need and nothing else: Debian's Chromium, which
# Playwright drives in the browser tests (tests/test_site.py; no browser is downloaded), a CJK
# font so that the glossary's Chinese renders, and bubblewrap, the sandbox the grader runs each
# submission in (tests/test_instructor.py). Only the test command calls this; building the book needs no browser and no
# root. Safe to run twice. Without root (or password-less sudo) it says what is missing and the
# exact apt-get line to run as root, and exits 1.
#   AIBOOK_CHROMIUM=PATH   the browser the tests drive (default /usr/bin/chromium)
set -euo pipefail
say() { printf '==> %s\n' "$*"; }

CHROMIUM=${AIBOOK_CHROMIUM:-/usr/bin/chromium}
PACKAGES=(chromium fonts-liberation fonts-wqy-microhei bubblewrap)
if [ -x "$CHROMIUM" ] && command -v bwrap >/dev/null; then
  say "Chromium ($CHROMIUM) and bubblewrap already installed"
  exit 0
fi
if [ "$CHROMIUM" != /usr/bin/chromium ]; then  # apt-get would not put it there
  echo "install_browser: AIBOOK_CHROMIUM=$CHROMIUM is not an executable file; point it at a Chromium," >&2
  echo "  or unset it to use Debian's /usr/bin/chromium (installed by this script)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "install_browser: the tests need Debian's Chromium ($CHROMIUM) and bubblewrap (bwrap);" >&2
    echo "  this user cannot run apt-get (not root, no password-less sudo). As root, run:" >&2
    echo "    apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
    echo "  then run the tests again (or set AIBOOK_CHROMIUM to a Chromium already installed)." >&2
    exit 1
  fi
fi
say "installing Debian's chromium and bubblewrap for the tests (apt-get; about a minute)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
if [ ! -x "$CHROMIUM" ] || ! command -v bwrap >/dev/null; then
  echo "install_browser: apt-get finished but $CHROMIUM or bwrap is still missing" >&2
  exit 1
fi
say "Chromium ($CHROMIUM) and bubblewrap installed"
