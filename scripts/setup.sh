#!/usr/bin/env bash
# Set up FaceCoach on Debian 12 / 13 or Raspberry Pi OS Bookworm / Trixie: system packages,
# virtual environment, the Python packages exactly as locked in requirements/*.lock, the project.
# Usage: scripts/setup.sh [--test] [--vosk-model LANG]
#   --test adds what the test suite needs; --vosk-model en installs the pinned vosk model of that
#   language into /opt/facecoach/vosk and sets it in /etc/facecoach/settings.toml (scripts/fetch-vosk-model).
# Safe to run again: it only installs what is missing and skips pip when nothing changed.
# FACECOACH_PYTHON=/path/to/python3.X chooses the interpreter (its venv is then .venv-3.X).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh

want_test=0
vosk_lang=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test) want_test=1 ;;
    --vosk-model)
      [ $# -ge 2 ] || { echo "--vosk-model needs a language, e.g. --vosk-model en" >&2; exit 2; }
      vosk_lang=$2; shift ;;
    *) echo "unknown option: $1 (use --test, --vosk-model LANG)" >&2; exit 2 ;;
  esac
  shift
done

python=$(facecoach_python)
if [ -z "$python" ]; then
  echo "FaceCoach needs Python 3.11, 3.12 or 3.13 (Debian 12 / Raspberry Pi OS Bookworm have 3.11," \
    "Debian 13 / Trixie have 3.13)${FACECOACH_PYTHON:+; FACECOACH_PYTHON=$FACECOACH_PYTHON is not one of them}." >&2
  exit 1
fi

system_packages() {
  debian_runtime_packages
  # Tests: sox adds noise to test speech, Xvfb gives a screen without a monitor.
  [ "$want_test" = 0 ] || echo sox xvfb xauth
  # Tests: poppler-utils (pdftotext, pdftoppm) read back and render the therapist summary PDF.
  [ "$want_test" = 0 ] || echo poppler-utils
  # Tests: systemd-analyze verifies the appliance units (cage: the display unit's compositor).
  [ "$want_test" = 0 ] || echo systemd cage
  # Tests: real human speech (Asterisk telephone prompts, CC-BY-SA) for the voice false-command checks.
  [ "$want_test" = 0 ] || echo asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav
  # Tests: Node 20+ and npm run the real FHIR server (Medplum) for the summary's FHIR round trip.
  [ "$want_test" = 0 ] || test_node_packages
  # Python 3.12: pocketsphinx has no wheel for it and is built from source.
  [ "$(python_minor "$python")" != 3.12 ] || echo build-essential cmake
}

# nodejs and npm from the release when no node is installed and the release's is new enough
# (Debian 13 / Trixie: 20; Debian 12's 18 is too old, and that one test then says so and skips).
test_node_packages() {
  command -v node >/dev/null 2>&1 && return 0
  local major
  major=$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}' | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/')
  if [[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 20 ]; then echo nodejs npm; fi
  return 0
}

missing_packages() {
  local p
  for p in $(system_packages); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

missing=$(missing_packages | xargs)
if [ -n "$missing" ]; then
  if ! as_root apt-get update -qq; then
    echo "FaceCoach needs these system packages: $missing" >&2
    echo "Ask an administrator to run: apt-get install $missing" >&2
    exit 1
  fi
  missing=$(missing_packages | xargs)  # package names are known only after the update
  echo "Installing system packages: $missing"
  # shellcheck disable=SC2086  # one word per package
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

venv=$(facecoach_venv)
minor=$(python_minor "$python")

if [ -x "$venv/bin/python" ] && [ "$(python_minor "$venv/bin/python")" != "$minor" ]; then
  # E.g. the system moved from Bookworm to Trixie: a venv is tied to one Python, so make it again.
  echo "The virtual environment in $venv is for Python $(python_minor "$venv/bin/python"); making it again for $minor"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the virtual environment in $venv (Python $minor)"
  # System site packages let picamera2 from Debian be seen on a Raspberry Pi.
  "$python" -m venv --system-site-packages "$venv"
fi

lock=$(lock_file "$want_test")
stamp=$venv/.facecoach-installed
lock_hash() { cat pyproject.toml "$1" | sha256sum | cut -d' ' -f1; }
done_test="$(lock_hash requirements/test.lock) test"
done_run="$(lock_hash requirements/run.lock) run"
# Installed already from this lock? (the test lock has the same versions plus the test tools)
accepted=(-e "$done_test")
[ "$want_test" = 1 ] || accepted+=(-e "$done_run")
if ! grep -qxF "${accepted[@]}" "$stamp" 2>/dev/null; then
  echo "Installing FaceCoach and its Python packages from $lock (the first time takes a few minutes)"
  install_locked "$venv/bin/python" "$lock" . --editable
  if [ "$want_test" = 1 ]; then echo "$done_test"; else echo "$done_run"; fi > "$stamp"
fi

# Tests: a real FHIR server (Medplum's fhir-router, in memory) for the summary's FHIR round trip,
# installed from tests/fhir_server/package-lock.json when node and npm are there (else that test skips).
if [ "$want_test" = 1 ] && command -v npm >/dev/null 2>&1 \
  && ! cmp -s tests/fhir_server/package-lock.json tests/fhir_server/node_modules/.facecoach-lock; then
  (cd tests/fhir_server && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.facecoach-lock) \
    || echo "warning: the test FHIR server could not be installed (npm ci in tests/fhir_server); its test will say so" >&2
fi

# The vosk model of a language, checked against its pinned SHA-256 (needs the network now, never later).
if [ -n "$vosk_lang" ]; then
  as_root "$python" scripts/fetch-vosk-model "$vosk_lang" \
    || { echo "The vosk model was not installed; voice commands use pocketsphinx (English)." >&2; exit 1; }
fi
