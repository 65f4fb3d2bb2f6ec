#!/usr/bin/env bash
# Idempotent set-up for a fresh machine: system checks, venv, pinned packages.
# Sourced by scripts/run-local and scripts/test; safe to run again (it skips what is done).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || need_apt+=(fonts-dejavu-core)
"$PYTHON_BIN" -c "import venv, ensurepip" >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need_apt[*]}" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

SDK=/usr/lib/google-cloud-sdk/platform
if [ ! -f "$SDK/cloud-firestore-emulator/cloud-firestore-emulator.jar" ] \
   || ! ls "$SDK"/pubsub-emulator/lib/cloud-pubsub-emulator-*-all.jar >/dev/null 2>&1; then
  echo "bootstrap: the Firestore and Pub/Sub emulators are missing under $SDK." >&2
  echo "  They ship with the Debian package google-cloud-cli (components cloud-firestore-emulator," >&2
  echo "  pubsub-emulator); install it, or set GCLOUD_SDK_PLATFORM to where they are." >&2
  exit 3
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV" >&2
  "$PYTHON_BIN" -m venv "$VENV"
fi
STAMP="$VENV/.requirements.sha256"
WANT="$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "bootstrap: installing Python packages (pinned)" >&2
  # This image's pip config lists local indexes that may be absent; hide only those warnings.
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt" 2>&1 \
    | { grep -v "^WARNING: Location '.*' is ignored" || true; }
  echo "$WANT" > "$STAMP"
fi

# checkov (infrastructure checks in scripts/check-infra) pins packages that clash with the
# runtime's, so it lives in a venv of its own.
CHECKOV_VERSION=3.3.30
if [ "$(cat "$ROOT/.venv-checkov/.version" 2>/dev/null)" != "$CHECKOV_VERSION" ]; then
  echo "bootstrap: installing checkov $CHECKOV_VERSION in .venv-checkov" >&2
  "$PYTHON_BIN" -m venv "$ROOT/.venv-checkov"
  "$ROOT/.venv-checkov/bin/python" -m pip install -q --disable-pip-version-check "checkov==$CHECKOV_VERSION" 2>&1 \
    | { grep -v "^WARNING: Location '.*' is ignored" || true; }
  echo "$CHECKOV_VERSION" > "$ROOT/.venv-checkov/.version"
fi

# Bytecode for the project's own modules: this environment sets PYTHONDONTWRITEBYTECODE, so
# without it every short command (`python -m shared.cli match ...`) compiles the engines
# again (~30 ms). Stale files are harmless: Python checks them against the sources.
"$VENV/bin/python" -m compileall -q "$ROOT/shared" "$ROOT/functions" >/dev/null || true

# The matching engine compiled by mypyc (shared/matching/native.py: about a fifth less CPU for
# `python -m shared.cli match`), built once per machine and per change of its sources (~80 s);
# quick when current. Without a C compiler the engine stays interpreted, with the same results.
if command -v cc >/dev/null 2>&1; then
  (cd "$ROOT" && "$VENV/bin/python" scripts/build_native.py) \
    || echo "bootstrap: the matching engine stays interpreted (scripts/build_native.py failed)" >&2
else
  echo "bootstrap: no C compiler: the matching engine stays interpreted" >&2
fi

# The 8-bit text recogniser (shared/extraction/recogniser_int8.py, read by OCR for documents'
# pages), built once per machine from the pinned OCR model (~10 s) into
# shared/extraction/models/: no extraction pays for the build. Quick when it is there.
(cd "$ROOT" && "$VENV/bin/python" -m shared.extraction.recogniser_int8 >/dev/null)
