#!/usr/bin/env bash
# Runs Maven 3.9.11 (Tycho 4 needs Maven 3.9; Debian ships 3.8.7). The first call fetches Maven 3.9.11 as an
# ordinary artifact through the installed Maven and caches it; later calls reuse the cache.
# Usage: releng/scripts/mvn.sh [maven arguments...]
set -euo pipefail

MAVEN_VERSION=3.9.11
CACHE_DIR="${VIGIL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil-build}"
MAVEN_HOME="$CACHE_DIR/apache-maven-$MAVEN_VERSION"

need_root_install() {
  local what="$1" pkgs="$2"
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing $what with apt-get ($pkgs)." >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >&2
  else
    echo "Vigil's build needs $what. Install it with: sudo apt-get install -y $pkgs" >&2
    exit 1
  fi
}

java17_home() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/java-17-openjdk; do
    if [ -n "$c" ] && [ -x "$c/bin/javac" ] && "$c/bin/java" -version 2>&1 | grep -q 'version "17'; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if ! JAVA_HOME_17=$(java17_home); then
  need_root_install "a JDK 17" "openjdk-17-jdk-headless"
  JAVA_HOME_17=$(java17_home) || { echo "No JDK 17 found after installing it; set JAVA_HOME to a JDK 17." >&2; exit 1; }
fi
export JAVA_HOME="$JAVA_HOME_17"

if [ ! -x "$MAVEN_HOME/bin/mvn" ]; then
  if ! command -v mvn >/dev/null 2>&1; then
    need_root_install "Maven (only to fetch Maven $MAVEN_VERSION)" "maven"
  fi
  mkdir -p "$CACHE_DIR"
  echo "Fetching Maven $MAVEN_VERSION into $CACHE_DIR (once)." >&2
  tmp=$(mktemp -d "$CACHE_DIR/fetch.XXXXXX")
  # run where no pom.xml is, keeping the plugin's marker files inside the temporary folder
  (cd "$tmp" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
      -Dartifact=org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin -DoutputDirectory="$tmp" \
      -DmarkersDirectory="$tmp/.markers" >&2)
  rm -rf "$MAVEN_HOME"
  mv "$tmp/apache-maven-$MAVEN_VERSION" "$MAVEN_HOME"
  rm -rf "$tmp"
  chmod +x "$MAVEN_HOME/bin/mvn"
fi

exec "$MAVEN_HOME/bin/mvn" "$@"
