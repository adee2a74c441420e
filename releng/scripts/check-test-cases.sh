#!/usr/bin/env bash
# Every *Test.java of a test bundle must be listed in its manifest's Test-Cases header: the bnd tester runs only
# the listed classes, so an unlisted class would silently not run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for bundle in "$root"/bundles/*.tests; do
  [ -d "$bundle" ] || continue
  manifest="$bundle/META-INF/MANIFEST.MF"
  if [ ! -f "$manifest" ]; then
    echo "$(basename "$bundle"): META-INF/MANIFEST.MF is missing." >&2; status=1; continue
  fi
  # unfold the manifest's continuation lines, then take the Test-Cases header
  header=$(sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' "$manifest" | grep '^Test-Cases:' || true)
  while IFS= read -r file; do
    cls=$(echo "${file#"$bundle/src/"}" | sed -e 's/\.java$//' -e 's#/#.#g')
    if ! echo "$header" | tr ', ' '\n\n' | grep -qx "$cls"; then
      echo "$(basename "$bundle"): $cls is not listed in Test-Cases of META-INF/MANIFEST.MF, so it would not run." >&2
      status=1
    fi
  done < <(find "$bundle/src" -name '*Test.java' | sort)
done
exit $status
