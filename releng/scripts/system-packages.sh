#!/usr/bin/env bash
# Installs (as root) or checks (otherwise) the Debian packages Vigil needs to build, run and test.
# Idempotent: packages already present are not reinstalled and apt-get update runs only when something is missing.
set -euo pipefail

PACKAGES=(
  # media: recording, demo camera, probing
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x libgstrtspserver-1.0-0 gir1.2-gst-rtsp-server-1.0
  ffmpeg
  # the camera tests' RTSP camera in a process of its own (killed, frozen, restarted by the tests)
  python3 python3-gi gir1.2-gstreamer-1.0
  # workbench under a virtual display, screenshots
  xvfb xauth x11-utils libgtk-3-0 fonts-dejavu-core fontconfig imagemagick
  # a window manager for the one test of a maximized window (maximizing needs one; Xvfb has none)
  openbox
  # build
  openjdk-17-jdk-headless maven
  # tools the scripts and tests use
  procps psmisc util-linux
  # Debian packages: the signed APT repository (dpkg-scanpackages, apt-ftparchive, gpg) and lintian's checks
  dpkg-dev apt-utils gnupg lintian
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Vigil needs these Debian packages, which are not installed: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2

for p in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "The Debian package $p could not be installed; install it by hand and try again." >&2
    exit 1
  fi
done
