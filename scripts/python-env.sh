# Shared by setup.sh, run, test and install.sh (sourced, not run): which Python, which virtual
# environment, which Debian package names, and the locked install.
# FACECOACH_PYTHON=/path/to/python3.X picks the interpreter; its venv is then .venv-3.X unless
# FACECOACH_VENV names another folder (so CI can keep one venv per Python side by side).

FACECOACH_PYTHONS="3.13 3.12 3.11"  # supported, newest first (Debian 13 has 3.13, Debian 12 has 3.11)

# python_minor PYTHON: "3.X" for an interpreter (empty when it does not run).
python_minor() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

# facecoach_python: the interpreter to build the venv with (path), or nothing when none fits.
facecoach_python() {
  local candidate minor
  if [ -n "${FACECOACH_PYTHON:-}" ]; then
    minor=$(python_minor "$FACECOACH_PYTHON")
    case " $FACECOACH_PYTHONS " in *" $minor "*) command -v "$FACECOACH_PYTHON"; return ;; esac
    return 0
  fi
  for minor in $FACECOACH_PYTHONS; do
    for candidate in "python$minor" python3; do
      if command -v "$candidate" >/dev/null && [ "$(python_minor "$candidate")" = "$minor" ]; then
        command -v "$candidate"; return
      fi
    done
  done
}

# facecoach_venv: the venv folder (relative to the project).
facecoach_venv() {
  if [ -n "${FACECOACH_VENV:-}" ]; then
    echo "$FACECOACH_VENV"
  elif [ -n "${FACECOACH_PYTHON:-}" ]; then
    echo ".venv-$(python_minor "$FACECOACH_PYTHON")"
  else
    echo .venv
  fi
}

# debian_name NAME...: the first of several names for one package (they differ between Debian
# releases, e.g. libglib2.0-0 became libglib2.0-0t64 in Debian 13) that is installed, else that
# apt knows, else the last one.
debian_name() {
  local name
  for name in "$@"; do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "install ok installed" && { echo "$name"; return; }
  done
  for name in "$@"; do
    apt-cache show "$name" >/dev/null 2>&1 && { echo "$name"; return; }
  done
  echo "${@: -1}"
}

# debian_runtime_packages: what the kiosk needs from Debian, with this release's names:
# speech (espeak-ng), audio (PortAudio), OpenCV's libraries (GL, GLib), venv.
debian_runtime_packages() {
  echo espeak-ng "$(debian_name libespeak-ng1t64 libespeak-ng1)" libportaudio2 libgl1 \
    "$(debian_name libglib2.0-0t64 libglib2.0-0)" python3-venv
}

# lock_file TEST: the lock to install (the test lock adds the test tools to the same versions).
lock_file() {
  if [ "$1" = 1 ]; then echo requirements/test.lock; else echo requirements/run.lock; fi
}

# install_locked VENV_PYTHON LOCK TARGET [--editable]: every package exactly as locked (hashes
# checked), then FaceCoach itself without resolving anything again.
install_locked() {
  local python=$1 lock=$2 target=$3 editable=${4:-}
  # An older FaceCoach in the venv would make pip print a false "ERROR: ... dependency conflicts"
  # against its old requirements while the new lock goes in; it is installed again just below.
  "$python" -m pip uninstall -y -q facecoach >/dev/null 2>&1 || true
  "$python" -m pip install -q --require-hashes -r "$lock"
  # --no-build-isolation: build with the locked setuptools instead of fetching one unchecked.
  "$python" -m pip install -q --no-deps --no-build-isolation $editable "$target"
}
