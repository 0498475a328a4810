#!/usr/bin/env bash
# Sets Stockfloor up in ./.venv on a Debian/Ubuntu machine:
#   1. the system libraries Qt needs (offscreen and a real X display, sound), installed with
#      apt-get when they are missing and we are root (or have sudo);
#   2. the Python packages, editable, from pyproject.toml.
# Usage: bash installer/setup.sh [--test]     (--test adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
system_packages=(
  # Qt offscreen and xcb, QtMultimedia's sound (libpulse0)
  libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libpulse0
  # printing to system queues; a font with Central European and other scripts for PDFs
  cups-client fonts-dejavu-core
)
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  # a real CUPS queue with a PDF printer for the printing tests; makensis, which compiles the
  # Windows installer script in a test
  system_packages+=(cups printer-driver-cups-pdf nsis)
fi

missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    run_as_root=""
    [ "$(id -u)" -eq 0 ] || run_as_root="sudo"
    echo "Installing system packages: ${missing[*]}"
    $run_as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $run_as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: please install these system packages: ${missing[*]}" >&2
  fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable ".${extras}"
echo "Stockfloor is set up in .venv ($(.venv/bin/python --version))."
