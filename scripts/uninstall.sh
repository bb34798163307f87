#!/usr/bin/env bash
# Remove the FaceCoach appliance: services, program and (only when asked) the patient's data.
#
# Usage: sudo scripts/uninstall.sh [--purge-data] [--dry-run]
#   --purge-data   also delete the kiosk user and its home: the database, summaries, keys, settings
#                  (asks you to type "delete" first; nothing can bring them back)
#   --dry-run      print every command without running it (no root needed)
#
# Without --purge-data the kiosk user and all its data stay, so a later install continues with them.
set -euo pipefail

PREFIX=/opt/facecoach
KIOSK_USER=facecoach
dry_run=0
purge=0

say() { printf '\n== %s\n' "$*"; }
die() { printf 'uninstall: %s\n' "$*" >&2; exit 2; }
run() {
  printf '+ %s\n' "$(printf '%q ' "$@" | sed 's/ $//')"
  [ "$dry_run" = 1 ] || "$@"
}

all_args="$*"
while [ $# -gt 0 ]; do
  case "$1" in
    --purge-data) purge=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
if [ "$dry_run" = 0 ] && [ "$(id -u)" != 0 ]; then
  die "run it as root: sudo $0 $all_args (or add --dry-run to see the plan)"
fi
[ "$dry_run" = 1 ] && echo "Dry run: the commands are printed, nothing is changed."

USER_HOME=$(getent passwd "$KIOSK_USER" | cut -d: -f6 || true)
USER_HOME=${USER_HOME:-/home/$KIOSK_USER}

say "1. Stop the kiosk (the stimulation outputs are turned off as it stops)"
if [ -f /etc/systemd/system/facecoach-display.service ]; then
  run systemctl disable --now facecoach-display.service
fi
if id "$KIOSK_USER" >/dev/null 2>&1 && [ -d "/run/user/$(id -u "$KIOSK_USER")" ]; then
  run systemctl --user -M "$KIOSK_USER@" stop facecoach.service facecoach-sync.timer
fi
if [ -x "$PREFIX/.venv/bin/facecoach" ] && id "$KIOSK_USER" >/dev/null 2>&1; then
  run runuser -u "$KIOSK_USER" -- "$PREFIX/.venv/bin/facecoach" hat-off || true
fi

say "2. Remove the services"
run systemctl --global disable facecoach-sync.timer
for unit in /etc/systemd/system/facecoach-display.service /etc/systemd/user/facecoach.service \
  /etc/systemd/user/facecoach-alert@.service /etc/systemd/user/facecoach-sync.service \
  /etc/systemd/user/facecoach-sync.timer; do
  [ -e "$unit" ] || [ "$dry_run" = 1 ] && run rm -f "$unit"
done
run systemctl daemon-reload
if id "$KIOSK_USER" >/dev/null 2>&1 || [ "$dry_run" = 1 ]; then
  run loginctl disable-linger "$KIOSK_USER"
fi
if [ -f "$USER_HOME/.config/labwc/autostart" ]; then
  run sed -i '/facecoach-session/d' "$USER_HOME/.config/labwc/autostart"
fi

say "3. Remove the program"
run rm -rf "$PREFIX"

say "4. Patient data"
if [ "$purge" = 1 ]; then
  if [ "$dry_run" = 0 ]; then
    printf 'This deletes all of the patient'"'"'s FaceCoach data in %s. Type "delete" to go on: ' "$USER_HOME"
    read -r answer
    [ "$answer" = delete ] || die "nothing was deleted"
  fi
  run userdel --remove "$KIOSK_USER"
else
  echo "Kept: the user '$KIOSK_USER' and the data in $USER_HOME/.local/share/facecoach (use --purge-data to delete)."
fi
echo
echo "FaceCoach is removed. The desktop login (if you had one) can be turned on again with raspi-config."
