#!/usr/bin/env bash
# Makes the Debian packages from the assembled distribution (releng/target/vigil):
#   vigil            the recorder and command line, no desktop dependencies; a systemd service run as user vigil
#   vigil-workbench  the desktop client (the workbench's bundles and SWT, a desktop entry and icons)
# Usage: build-debs.sh DIST_DIR MAVEN_VERSION OUT_DIR [ARCH...]   (amd64 and/or arm64, default this machine's;
# one version for all)
# Everything but SWT's native fragment is the same for both: Java bundles, and the natives of JNA and sqlite-jdbc
# inside their jars for both architectures (checked in docs/PACKAGING.md).
# A -SNAPSHOT version becomes 1.0.0~devYYYYMMDDHHMMSS, so that each build upgrades the one before and the
# release 1.0.0 upgrades them all. Runs as any user (dpkg-deb --root-owner-group: every file root's).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dist=$(cd "$1" && pwd)
maven_version=$2
out=$3
shift 3
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=("$(dpkg --print-architecture)")

case "$maven_version" in
  *-SNAPSHOT) version="${maven_version%-SNAPSHOT}~dev$(date -u +%Y%m%d%H%M%S)" ;;
  *) version=$maven_version ;;
esac
[ -n "${VIGIL_DEB_VERSION:-}" ] && version=$VIGIL_DEB_VERSION
# who answers for the packages: a vendor sets its own (VIGIL_DEB_MAINTAINER="Name <address>")
maintainer=${VIGIL_DEB_MAINTAINER:-"Vigil maintainers <maintainers@vigil.invalid>"}

for tool in dpkg-deb gzip md5sum; do
  command -v "$tool" >/dev/null || { echo "build-debs.sh needs $tool (Debian's dpkg and gzip packages)." >&2; exit 1; }
done
[ -x "$dist/bin/vigil" ] || { echo "No distribution at $dist: build it first (releng/distribution)." >&2; exit 1; }

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_packages() { # $1 the architecture
local arch=$1
rm -rf "${work:?}"/*

is_workbench() { # bundles of the desktop client only
  case "$(basename "$1")" in
    org.vigil.ui_*|org.vigil.ui.*|org.eclipse.swt_*|org.eclipse.swt.*) return 0 ;;
    *) return 1 ;;
  esac
}

doc() { # $1 package root, $2 package name
  local d="$1/usr/share/doc/$2"
  install -d -m 0755 "$d"
  cat > "$d/copyright" <<COPYRIGHT
Upstream-Name: Vigil
Source: the Vigil repository

Files: *
Copyright: 2025-2026 The Vigil authors
License: EPL-2.0
 Vigil and the Eclipse, Apache Felix, Gson, JNA and sqlite-jdbc bundles it ships are under the Eclipse Public
 License 2.0 or the Apache License 2.0; each bundle's manifest names its own.
COPYRIGHT
  # a native package (no Debian revision): its changelog is changelog.gz
  printf '%s (%s) unstable; urgency=medium\n\n  * Built from the Vigil repository.\n\n -- %s  %s\n' \
    "$2" "$version" "$maintainer" "$(date -u -R)" | gzip -9n > "$d/changelog.gz"
  # lintian tags that do not apply, each explained in docs/BUILDING.md
  if [ -f "$here/debian/$2.lintian-overrides" ]; then
    install -D -m 0644 "$here/debian/$2.lintian-overrides" "$1/usr/share/lintian/overrides/$2"
  fi
}

control() { # $1 package root, $2 name, $3 depends, $4 description, $5 long description
  local size
  size=$(du -sk --exclude=DEBIAN "$1" | cut -f1)
  install -d -m 0755 "$1/DEBIAN"
  cat > "$1/DEBIAN/control" <<CONTROL
Package: $2
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $3
Section: video
Priority: optional
Description: $4
$5
CONTROL
  (cd "$1" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort | xargs -r md5sum \
    > DEBIAN/md5sums)
}

# --- vigil ------------------------------------------------------------------------------------------------------
p="$work/vigil"
install -d -m 0755 "$p/usr/lib/vigil/bin" "$p/usr/lib/vigil/conf" "$p/usr/lib/vigil/bundle/1" "$p/usr/lib/vigil/bundle/3" "$p/usr/lib/vigil/bundle/4" \
  "$p/usr/lib/vigil/plugins" "$p/usr/bin" "$p/lib/systemd/system"
install -m 0755 "$dist/bin/vigil" "$p/usr/lib/vigil/bin/vigil"
install -m 0644 "$dist"/bin/*.jar "$p/usr/lib/vigil/bin/"
install -m 0644 "$dist"/conf/* "$p/usr/lib/vigil/conf/"
install -m 0644 "$dist"/bundle/1/*.jar "$p/usr/lib/vigil/bundle/1/"
install -m 0644 "$dist"/bundle/3/*.jar "$p/usr/lib/vigil/bundle/3/"
install -m 0644 "$dist"/bundle/4/*.jar "$p/usr/lib/vigil/bundle/4/"
for jar in "$dist"/bundle/*.jar; do
  is_workbench "$jar" || install -m 0644 "$jar" "$p/usr/lib/vigil/bundle/"
done
install -m 0755 "$here/debian/vigil.sh" "$p/usr/bin/vigil"
install -m 0644 "$here/debian/vigil.service" "$p/lib/systemd/system/vigil.service"
doc "$p" vigil
install -m 0644 "$root/README.md" "$p/usr/share/doc/vigil/README.md"
install -D -m 0644 "$here/debian/vigil.1" "$p/usr/share/man/man1/vigil.1"
gzip -9n "$p/usr/share/man/man1/vigil.1"
control "$p" vigil "default-jre-headless (>= 2:1.17) | java17-runtime-headless, gstreamer1.0-plugins-base (>= 1.22), gstreamer1.0-plugins-good (>= 1.22), gstreamer1.0-plugins-bad (>= 1.22), gstreamer1.0-libav (>= 1.22), libgstrtspserver-1.0-0 (>= 1.22), libsystemd0, adduser" \
  "network video recorder for RTSP cameras (recorder and command line)" \
" Vigil records RTSP IP cameras around the clock without re-encoding into
 crash-safe MP4 segments, with retention, verified backups and health
 monitoring. This package holds the recorder, run as the systemd service
 vigil (user vigil, data in /var/lib/vigil), its HTTPS API, and the
 command line 'vigil'."
for s in postinst prerm postrm; do install -m 0755 "$here/debian/$s" "$p/DEBIAN/$s"; done

# --- vigil-workbench ----------------------------------------------------------------------------------------------
w="$work/vigil-workbench"
install -d -m 0755 "$w/usr/lib/vigil/bundle" "$w/usr/share/applications"
for jar in "$dist"/bundle/*.jar; do
  case "$(basename "$jar")" in org.eclipse.swt.gtk.linux.*) continue ;; esac  # the package's architecture's, below
  is_workbench "$jar" && install -m 0644 "$jar" "$w/usr/lib/vigil/bundle/"
done
# SWT's native fragment of the package's architecture (the distribution keeps every platform's in target/swt/)
case "$arch" in
  amd64) swt_arch=x86_64 ;;
  arm64) swt_arch=aarch64 ;;
  *) echo "build-debs.sh makes packages for amd64 and arm64, not $arch." >&2; exit 1 ;;
esac
swt_fragment=$(ls "$dist"/../swt/org.eclipse.swt.gtk.linux."$swt_arch"_*.jar 2>/dev/null | head -1 || true)
[ -n "$swt_fragment" ] || { echo "SWT's fragment for $swt_arch is not in $dist/../swt: build the distribution." >&2; exit 1; }
install -m 0644 "$swt_fragment" "$w/usr/lib/vigil/bundle/"
for size in 16 32 48 64 128 256; do
  icon="$root/bundles/org.vigil.branding/icons/vigil-$size.png"
  if [ -f "$icon" ]; then
    install -D -m 0644 "$icon" "$w/usr/share/icons/hicolor/${size}x${size}/apps/vigil.png"
  fi
done
cat > "$w/usr/share/applications/vigil.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Vigil
GenericName=Video recorder
Comment=Watch, play back and manage the cameras of a Vigil recorder
Exec=vigil
Icon=vigil
Terminal=false
Categories=AudioVideo;Video;Security;
DESKTOP
doc "$w" vigil-workbench
control "$w" vigil-workbench "vigil (= $version), libgtk-3-0 (>= 3.22)" \
  "network video recorder for RTSP cameras (desktop workbench)" \
" The workbench of Vigil: live grid, playback on a timeline, recordings,
 backups, cameras and health, as a desktop application."

for pkg in "$p" "$w"; do
  name=$(basename "$pkg")
  dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$out/${name}_${version}_${arch}.deb" >/dev/null
  echo "$out/${name}_${version}_${arch}.deb"
done

}

for arch in "${archs[@]}"; do
  make_packages "$arch"
done
