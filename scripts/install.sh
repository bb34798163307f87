#!/usr/bin/env bash
# Install FaceCoach as an appliance on Raspberry Pi OS Trixie or Bookworm (64-bit): it starts on boot, shows
# only the kiosk, restarts itself when it hangs and turns the stimulation outputs off when it stops.
#
# Usage: sudo scripts/install.sh --therapist-key FILE [options]
#   --therapist-key FILE      the therapist's public key (64 hex characters); pinned on first install
#   --replace-therapist-key   allow a different therapist key than the one pinned before
#   --vosk-model FILE|URL     install a vosk speech model from a .zip file, a folder or an http(s) URL
#   --session cage|labwc      cage: only the kiosk on the screen (default); labwc: the Pi desktop autostarts it
#   --dry-run                 print every command without running it (no root needed)
#   --force                   install on a computer that is not a Raspberry Pi
#
# Safe to run again: it only does what is missing and never touches patient data.
set -euo pipefail
umask 022  # the program is readable by all; the data folders are made 0700 explicitly

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=/opt/facecoach
KIOSK_USER=facecoach
VENV=$PREFIX/.venv
dry_run=0

# --- helpers -------------------------------------------------------------------------------------

say() { printf '\n== %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 2; }

# Print a command; run it unless this is a dry run.
run() {
  printf '+ %s\n' "$(printf '%q ' "$@" | sed 's/ $//')"
  [ "$dry_run" = 1 ] || "$@"
}

# Run a command as the kiosk user (with its own HOME and XDG folders).
as_user() {
  run runuser -u "$KIOSK_USER" -- env HOME="$USER_HOME" XDG_RUNTIME_DIR="/run/user/$(id -u "$KIOSK_USER" 2>/dev/null || echo UID)" "$@"
}

# set_setting FILE SECTION KEY VALUE: set `key = "value"` inside [section] of a TOML file.
set_setting() {
  local file=$1 section=$2 key=$3 value=$4 line
  line="$key = \"$value\""
  if sed -n "/^\[$section\]/,/^\[/p" "$file" | grep -q "^$key[[:space:]]*="; then
    sed -i "/^\[$section\]/,/^\[/ s|^$key[[:space:]]*=.*|$line|" "$file"
  elif grep -q "^\[$section\]" "$file"; then
    sed -i "/^\[$section\]/a $line" "$file"
  else
    printf '\n[%s]\n%s\n' "$section" "$line" >>"$file"
  fi
}

# The folder name a vosk model .zip unpacks to (vosk zips hold one folder named like the zip).
model_name() { basename "${1%%\?*}" .zip; }

# Sourced (tests, uninstall.sh): only the helpers above.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then return 0; fi

# --- arguments -----------------------------------------------------------------------------------

all_args="$*"
therapist_key=""
replace_key=0
vosk_model=""
session=cage
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --therapist-key) [ $# -ge 2 ] || die "--therapist-key needs a file"; therapist_key=$2; shift 2 ;;
    --replace-therapist-key) replace_key=1; shift ;;
    --vosk-model) [ $# -ge 2 ] || die "--vosk-model needs a file, folder or URL"; vosk_model=$2; shift 2 ;;
    --session) [ $# -ge 2 ] || die "--session needs cage or labwc"; session=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

model=$({ tr -d '\0' </proc/device-tree/model; } 2>/dev/null || true)
if [ "$dry_run" = 0 ] && [ "$force" = 0 ] && [[ "$model" != *"Raspberry Pi"* ]]; then
  die "this computer is not a Raspberry Pi; the appliance install changes the whole system (a user, services,
  the boot settings). Use --dry-run to see the plan, or --force to install anyway."
fi
[ -n "$therapist_key" ] || die "the therapist's public key is needed: --therapist-key FILE (ask the therapist for it)"
[ -f "$therapist_key" ] || die "the therapist key file '$therapist_key' does not exist"
grep -qxE '[0-9a-fA-F]{64}' <(tr -d '[:space:]' <"$therapist_key"; echo) \
  || die "the therapist key file '$therapist_key' is not a public key (expected 64 hex characters)"
case "$session" in cage|labwc) ;; *) die "--session must be cage or labwc, not '$session'" ;; esac
if [ -n "$vosk_model" ]; then
  case "$vosk_model" in
    http://*|https://*) ;;
    *) [ -e "$vosk_model" ] || die "the vosk model '$vosk_model' does not exist" ;;
  esac
fi
if [ "$dry_run" = 0 ] && [ "$(id -u)" != 0 ]; then
  die "run it as root: sudo $0 $all_args (or add --dry-run to see the plan)"
fi

. /etc/os-release 2>/dev/null || true
case "${VERSION_CODENAME:-}" in
  bookworm | trixie) ;;
  *) echo "Note: this is ${PRETTY_NAME:-an unknown system}, not Bookworm or Trixie; going on." ;;
esac
. "$SRC/scripts/python-env.sh"  # Python choice, Debian package names, the locked install
[ "$(uname -m)" = aarch64 ] || echo "Note: this is $(uname -m), not a 64-bit Raspberry Pi; going on."
[ "$dry_run" = 1 ] && echo "Dry run: the commands are printed, nothing is changed."

USER_HOME=$(getent passwd "$KIOSK_USER" | cut -d: -f6 || true)
USER_HOME=${USER_HOME:-/home/$KIOSK_USER}
DATA=$USER_HOME/.local/share/facecoach
CONFIG=$USER_HOME/.config/facecoach
STATE=$USER_HOME/.local/state/facecoach
SETTINGS=$CONFIG/settings.toml

# --- 1. Debian packages --------------------------------------------------------------------------

say "1. System packages"
# Names differ between releases (libglib2.0-0 on Bookworm, libglib2.0-0t64 on Trixie): python-env.sh.
read -r -a packages <<<"$(debian_runtime_packages) python3-pip rsync unzip curl sqlite3"
[ "$session" = cage ] && packages+=(cage)
# The Pi camera module's library comes from Raspberry Pi OS (the venv sees it through system site packages).
apt-cache show python3-picamera2 >/dev/null 2>&1 && packages+=(python3-picamera2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
echo "needed: ${packages[*]}"
if [ "${#missing[@]}" -gt 0 ]; then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all installed already"
fi

# --- 2. The kiosk user ---------------------------------------------------------------------------

say "2. The kiosk user '$KIOSK_USER'"
groups=()
for g in video audio render input gpio spi i2c; do getent group "$g" >/dev/null && groups+=("$g"); done
group_list=$(IFS=,; echo "${groups[*]}")
if id "$KIOSK_USER" >/dev/null 2>&1; then
  echo "exists"
  [ -z "$group_list" ] || run usermod -a -G "$group_list" "$KIOSK_USER"
else
  run useradd --create-home --home-dir "$USER_HOME" --shell /bin/bash --comment "FaceCoach kiosk" \
    ${group_list:+--groups "$group_list"} "$KIOSK_USER"
fi

# --- 3. Program and virtual environment ----------------------------------------------------------

say "3. FaceCoach in $PREFIX"
run install -d -m 0755 -o root -g root "$PREFIX"
run rsync -a --delete --chown=root:root --exclude=.git --exclude=.venv --exclude='.venv-*' --exclude=__pycache__ \
  --exclude='*.egg-info' "$SRC/" "$PREFIX/"
# The system's own Python (3.11 on Bookworm, 3.13 on Trixie): picamera2 from Raspberry Pi OS is
# built for it, and the venv sees it through system site packages.
minor=$(python_minor /usr/bin/python3)
case " $FACECOACH_PYTHONS " in *" $minor "*) ;; *) die "FaceCoach needs Python 3.11 to 3.13; /usr/bin/python3 is '${minor:-missing}'" ;; esac
if [ -x "$VENV/bin/python" ] && [ "$(python_minor "$VENV/bin/python")" != "$minor" ]; then
  echo "the virtual environment is for Python $(python_minor "$VENV/bin/python") (the system moved to $minor): made again"
  run rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  run /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
stamp=$VENV/.facecoach-installed
wanted=$(cd "$SRC" && find pyproject.toml requirements kiosk coach stim_hat schedules content -type f -not -path '*/__pycache__/*' \
  -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  # Exactly the locked versions, hashes checked; then FaceCoach itself without resolving again.
  run "$VENV/bin/python" -m pip install -q --require-hashes -r "$PREFIX/requirements/run.lock"
  run "$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation "$PREFIX"
  if [ "$dry_run" = 1 ]; then echo "+ echo $wanted > $stamp"; else echo "$wanted" >"$stamp"; fi
else
  echo "Python packages up to date"
fi

# --- 4. Folders (health data readable by the kiosk user only) ------------------------------------

say "4. Folders"
for d in "$USER_HOME/.local" "$USER_HOME/.local/share" "$USER_HOME/.local/state" "$USER_HOME/.config"; do
  run install -d -m 0755 -o "$KIOSK_USER" -g "$KIOSK_USER" "$d"
done
for d in "$DATA" "$DATA/keys" "$DATA/models" "$CONFIG" "$STATE"; do
  run install -d -m 0700 -o "$KIOSK_USER" -g "$KIOSK_USER" "$d"
done
if [ ! -f "$SETTINGS" ]; then
  run install -m 0600 -o "$KIOSK_USER" -g "$KIOSK_USER" "$PREFIX/content/settings.sample.toml" "$SETTINGS"
fi

# --- 5. Keys -------------------------------------------------------------------------------------

say "5. Keys"
pinned=$DATA/keys/therapist.pub
new_key=$(tr -d '[:space:]' <"$therapist_key" | tr 'A-F' 'a-f')
old_key=$({ tr -d '[:space:]' <"$pinned" | tr 'A-F' 'a-f'; } 2>/dev/null || true)
if [ -n "$old_key" ] && [ "$old_key" != "$new_key" ] && [ "$replace_key" = 0 ]; then
  die "a different therapist key is already pinned ($pinned). Plans signed with the new key would be refused.
  If the therapist really changed, run again with --replace-therapist-key."
fi
if [ "$old_key" != "$new_key" ]; then
  if [ "$dry_run" = 1 ]; then echo "+ write $new_key to $pinned"; else printf '%s\n' "$new_key" >"$pinned"; fi
  run chown "$KIOSK_USER:$KIOSK_USER" "$pinned"
  run chmod 0600 "$pinned"
else
  echo "therapist key already pinned"
fi
if [ "$dry_run" = 1 ]; then echo "+ set sync.therapist_key = \"$pinned\" in $SETTINGS"; else
  set_setting "$SETTINGS" sync therapist_key "$pinned"; fi
# The device key signs every summary; created once, never replaced.
as_user "$VENV/bin/python" -c "from pathlib import Path; from kiosk.summary.crypto import fingerprint, \
load_or_create_device_key as k; print('device key', fingerprint(k(Path('$DATA/keys')).verify_key.encode()))"

# --- 6. Speech model (optional) ------------------------------------------------------------------

if [ -n "$vosk_model" ]; then
  say "6. Vosk speech model"
  name=$(model_name "$vosk_model")
  target=$DATA/models/$name
  if [ -d "$target" ]; then
    echo "already installed: $target"
  else
    case "$vosk_model" in
      http://*|https://*)
        if [ "$dry_run" = 1 ]; then tmp=/tmp/facecoach-model.XXXXXX; else tmp=$(mktemp -d); fi
        run curl -fL --retry 3 -o "$tmp/$name.zip" "$vosk_model"
        run unzip -q "$tmp/$name.zip" -d "$DATA/models"
        run rm -rf "$tmp" ;;
      *.zip) run unzip -q "$vosk_model" -d "$DATA/models" ;;
      *) name=$(basename "$vosk_model"); target=$DATA/models/$name
         run cp -a "$vosk_model" "$target" ;;
    esac
    run chown -R "$KIOSK_USER:$KIOSK_USER" "$DATA/models"
  fi
  if [ "$dry_run" = 1 ]; then echo "+ set voice.vosk_model = \"$target\" in $SETTINGS"; else
    [ -f "$target/conf/model.conf" ] || [ -d "$target/am" ] || die "$target does not look like a vosk model"
    set_setting "$SETTINGS" voice vosk_model "$target"; fi
fi

# --- 7. Services ---------------------------------------------------------------------------------

say "7. Services"
for unit in facecoach.service facecoach-alert@.service facecoach-sync.service facecoach-sync.timer; do
  run install -m 0644 "$PREFIX/systemd/$unit" "/etc/systemd/user/$unit"
done
run systemctl daemon-reload
run systemctl --global enable facecoach-sync.timer
# Linger: the kiosk user's systemd runs from boot, without anyone logging in.
run loginctl enable-linger "$KIOSK_USER"
if [ "$session" = cage ]; then
  run install -m 0644 "$PREFIX/systemd/facecoach-display.service" /etc/systemd/system/facecoach-display.service
  run systemctl daemon-reload
  # The kiosk owns the screen: no desktop login manager on top of it.
  for dm in lightdm gdm3 sddm; do
    systemctl is-enabled "$dm.service" >/dev/null 2>&1 && run systemctl disable "$dm.service"
  done
  run systemctl set-default graphical.target
  run systemctl enable facecoach-display.service
else
  autostart=$USER_HOME/.config/labwc/autostart
  run install -d -m 0755 -o "$KIOSK_USER" -g "$KIOSK_USER" "$USER_HOME/.config/labwc"
  if ! grep -qs facecoach-session "$autostart"; then
    if [ "$dry_run" = 1 ]; then echo "+ append $PREFIX/systemd/labwc-autostart to $autostart"; else
      grep -v '^#' "$PREFIX/systemd/labwc-autostart" >>"$autostart"; chown "$KIOSK_USER:$KIOSK_USER" "$autostart"; fi
  fi
  # Desktop autologin as the kiosk user (Raspberry Pi OS: lightdm).
  command -v raspi-config >/dev/null && run raspi-config nonint do_boot_behaviour B4
  [ -f /etc/lightdm/lightdm.conf ] && run sed -i "s/^#\{0,1\}autologin-user=.*/autologin-user=$KIOSK_USER/" /etc/lightdm/lightdm.conf
fi

# --- 8. Screen blanking off ----------------------------------------------------------------------

say "8. Screen blanking off"
command -v raspi-config >/dev/null && run raspi-config nonint do_blanking 1
cmdline=/boot/firmware/cmdline.txt
[ -f "$cmdline" ] || cmdline=/boot/cmdline.txt
if [ -f "$cmdline" ]; then
  grep -q 'consoleblank=0' "$cmdline" || run sed -i '1 s/$/ consoleblank=0/' "$cmdline"
else
  echo "no $cmdline here (not a Raspberry Pi): the console blanking setting is left alone"
fi

# --- 9. Check --------------------------------------------------------------------------------------

say "9. Check"
as_user "$VENV/bin/facecoach" check-config "$SETTINGS"
as_user "$VENV/bin/facecoach" hat-off
echo
echo "FaceCoach is installed. Restart the Raspberry Pi (sudo reboot): the kiosk starts by itself."
echo "Afterwards, 'sudo -u $KIOSK_USER $VENV/bin/facecoach selftest' shows every part."
