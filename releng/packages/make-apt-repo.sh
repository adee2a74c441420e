#!/usr/bin/env bash
# Makes a signed APT repository of a product's Debian packages, so that boxes in the field upgrade with 'apt upgrade':
#   REPO/pool/main/*.deb
#   REPO/dists/stable/main/binary-ARCH/Packages(.gz)        one per architecture of the packages
#   REPO/dists/stable/Release, InRelease, Release.gpg       signed
#   REPO/archive-keyring.gpg                                the public key a box trusts the repository with
#                                                           (/usr/share/keyrings/, 'signed-by=' in its sources)
# Usage: make-apt-repo.sh DEB_DIR REPO_DIR
# The signing key: $VIGIL_APT_KEY, an armored secret key file (the vendor's, at release: keep it out of the
# repository), else the test key in test-key/ (for tests only: anyone can sign with it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
debs=$(cd "$1" && pwd)
repo=$2
key=${VIGIL_APT_KEY:-$here/test-key/archive-test-key.asc}

for tool in dpkg-scanpackages apt-ftparchive gpg gzip; do
  command -v "$tool" >/dev/null || { echo "make-apt-repo.sh needs $tool (Debian's dpkg-dev, apt-utils and gnupg" \
    "packages; releng/scripts/system-packages.sh installs them)." >&2; exit 1; }
done
[ -r "$key" ] || { echo "The signing key $key cannot be read; set VIGIL_APT_KEY to an armored secret key file." >&2; exit 1; }
ls "$debs"/*.deb >/dev/null 2>&1 || { echo "No .deb in $debs: build the packages first." >&2; exit 1; }

gnupg=$(mktemp -d)
trap 'rm -rf "$gnupg"' EXIT
gpg() { command gpg --homedir "$gnupg" --batch --quiet --pinentry-mode loopback --passphrase '' "$@"; }
gpg --import "$key" 2>/dev/null
fpr=$(gpg --list-secret-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
[ -n "$fpr" ] || { echo "$key holds no secret key to sign with." >&2; exit 1; }

rm -rf "$repo"
mkdir -p "$repo/pool/main"
cp "$debs"/*.deb "$repo/pool/main/"
repo=$(cd "$repo" && pwd)
archs=$(for d in "$repo"/pool/main/*.deb; do dpkg-deb --field "$d" Architecture; done | sort -u | tr '\n' ' ')
cd "$repo"
for a in $archs; do
  dir="dists/stable/main/binary-$a"
  mkdir -p "$dir"
  dpkg-scanpackages --multiversion --arch "$a" pool/main > "$dir/Packages" 2>/dev/null
  gzip -9nk "$dir/Packages"
done
apt-ftparchive \
  -o APT::FTPArchive::Release::Origin=Vigil -o APT::FTPArchive::Release::Label=Vigil \
  -o APT::FTPArchive::Release::Suite=stable -o APT::FTPArchive::Release::Codename=stable \
  -o "APT::FTPArchive::Release::Architectures=${archs% }" -o APT::FTPArchive::Release::Components=main \
  release dists/stable > dists/stable/Release.new
mv dists/stable/Release.new dists/stable/Release
gpg --local-user "$fpr" --clearsign --output dists/stable/InRelease dists/stable/Release
gpg --local-user "$fpr" --armor --detach-sign --output dists/stable/Release.gpg dists/stable/Release
gpg --export "$fpr" > archive-keyring.gpg
echo "$repo (signed by $fpr)"
