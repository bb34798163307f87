#!/usr/bin/env bash
# Set up FaceCoach on Debian / Raspberry Pi OS: system packages, virtual environment, project.
# Usage: scripts/setup.sh [--test]    (--test adds what the test suite needs)
# Safe to run again: it only installs what is missing and skips pip when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Runtime: speech (espeak-ng), audio (PortAudio), OpenCV's GUI libraries, venv.
packages=(espeak-ng libespeak-ng1 libportaudio2 libgl1 libglib2.0-0 python3-venv python3-pip)
# Tests: sox adds noise to test speech, Xvfb gives a screen without a monitor.
[ "$want_test" = 1 ] && packages+=(sox xvfb xauth)
# Tests: poppler-utils (pdftotext, pdftoppm) read back and render the therapist summary PDF.
[ "$want_test" = 1 ] && packages+=(poppler-utils)
# Tests: systemd-analyze verifies the appliance units (cage: the display unit's compositor).
[ "$want_test" = 1 ] && packages+=(systemd cage)
# Tests: real human speech (Asterisk telephone prompts, CC-BY-SA) for the voice false-command checks.
[ "$want_test" = 1 ] && packages+=(asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "FaceCoach needs these system packages: ${missing[*]}" >&2
    echo "Ask an administrator to run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

python=""
for candidate in python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    python=$(command -v "$candidate"); break
  fi
done
if [ -z "$python" ]; then
  echo "FaceCoach needs Python 3.11 (Debian 12 Bookworm / Raspberry Pi OS Bookworm have it)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  # System site packages let picamera2 from Debian be seen on a Raspberry Pi.
  "$python" -m venv --system-site-packages .venv
fi

extras=""
[ "$want_test" = 1 ] && extras="[test]"
stamp=.venv/.facecoach-installed
hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
# Installed already for this pyproject.toml? (a test install also covers the plain run)
if ! { [ -f "$stamp" ] && grep -qxE "$hash (\[test\]|$(printf '%s' "$extras" | sed 's/[][]/\\&/g'))" "$stamp"; }; then
  echo "Installing FaceCoach and its Python packages (the first time takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".$extras"
  { grep "^$hash " "$stamp" 2>/dev/null || true; echo "$hash $extras"; } > "$stamp.new"
  mv "$stamp.new" "$stamp"
fi
