#!/usr/bin/env bash
# Prepare a fresh clone: a Python 3.11 virtual environment with every package the project
# needs (pinned in pyproject.toml). With --browser, also the Debian packages the browser tests
# need (Chromium, and a Korean font so screenshots show Hangul). Safe to run again: it only
# reinstalls when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$candidate; break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "setup: Python 3.11 is needed (torch 2.13.0 CPU wheels are used); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi

stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: installing Python packages into $VENV (about a minute)"
  "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  # constraints.txt pins every package, dependencies of dependencies too (the Pages workflow
  # installs from the same file)
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[figures,test]"
  touch "$stamp"
fi

if [ "${1:-}" = "--browser" ]; then
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  fc-list 2>/dev/null | grep -qi nanum || missing="$missing fonts-nanum"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "setup: installing Debian packages:$missing"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: the browser tests need these Debian packages:$missing (sudo apt-get install$missing)" >&2
      exit 1
    fi
  fi
fi
