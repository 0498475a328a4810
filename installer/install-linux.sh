#!/usr/bin/env bash
# Installs the one-folder build (dist/Stockfloor from installer/build.py) for every user of
# this Linux workstation: /opt/stockfloor, /usr/local/bin/stockfloor, a menu entry and icon.
# An upgrade is the same command with the newer build: the folder is replaced as a whole.
# Usage (as root): [STOCKFLOOR_DATABASE=URL] [STOCKFLOOR_WORKSTATION=NAME] \
#                  bash installer/install-linux.sh [dist/Stockfloor]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../dist/Stockfloor}"
[ -x "$build/stockfloor" ] || { echo "no build at $build (run installer/build.py)" >&2; exit 2; }
prefix="${PREFIX:-/opt/stockfloor}"
rm -rf "$prefix.new"
cp -a "$build" "$prefix.new"
rm -rf "$prefix.old"
[ -d "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"
ln -sf "$prefix/stockfloor" /usr/local/bin/stockfloor
install -Dm644 "$here/stockfloor.desktop" /usr/local/share/applications/stockfloor.desktop
install -Dm644 "$here/../resources/icons/stockfloor.svg" \
  /usr/local/share/icons/hicolor/scalable/apps/stockfloor.svg
# Per-machine settings: Qt reads /etc/xdg/Stockfloor/Stockfloor.ini beneath each user's own
# file, so every user of this workstation starts on the same database and workstation name.
if [ -n "${STOCKFLOOR_DATABASE:-}" ] || [ -n "${STOCKFLOOR_WORKSTATION:-}" ]; then
  mkdir -p /etc/xdg/Stockfloor
  {
    [ -n "${STOCKFLOOR_DATABASE:-}" ] && printf '[database]\ntarget=%s\n' "$STOCKFLOOR_DATABASE"
    [ -n "${STOCKFLOOR_WORKSTATION:-}" ] && printf '[workstation]\nname=%s\n' "$STOCKFLOOR_WORKSTATION"
    true
  } > /etc/xdg/Stockfloor/Stockfloor.ini
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/local/share/applications || true
echo "Stockfloor $("$prefix/stockfloor" --version) installed in $prefix"
