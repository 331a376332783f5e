#!/usr/bin/env bash
# Installs the pinned third-party libraries beside their adapters: PyPI packages into .venv/,
# npm packages into node_modules/ (both git-ignored). Idempotent; needs python3 and npm.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
npm ci --silent --no-audit --no-fund
