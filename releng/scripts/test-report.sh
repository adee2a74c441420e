#!/usr/bin/env bash
# Sums up the test reports of the last build and fails when any test module ran zero tests (JUnit 5.12 with the bnd
# tester once passed with 0 tests: a false green). Prints "N passed, N failed" as its last line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
total=0; failed=0; skipped=0; status=0
modules=( bundles/*.tests releng/distribution-tests )
for m in "${modules[@]}"; do
  [ -d "$m" ] || continue
  reports=$(ls "$m"/target/failsafe-reports/TEST-*.xml "$m"/target/surefire-reports/TEST-*.xml 2>/dev/null || true)
  if [ -z "$reports" ]; then
    echo "$m: no test report: its tests did not run." >&2; status=1; continue
  fi
  t=0; f=0; s=0
  for r in $reports; do
    line=$(grep -m1 '<testsuite' "$r")
    t=$((t + $(echo "$line" | sed -n 's/.* tests="\([0-9]*\)".*/\1/p')))
    f=$((f + $(echo "$line" | sed -n 's/.* failures="\([0-9]*\)".*/\1/p') + $(echo "$line" | sed -n 's/.* errors="\([0-9]*\)".*/\1/p')))
    s=$((s + $(echo "$line" | sed -n 's/.* skipped="\([0-9]*\)".*/\1/p')))
  done
  printf '%-40s %4d tests, %d failed, %d skipped\n' "$m" "$t" "$f" "$s"
  if [ "$t" -eq 0 ]; then echo "$m ran zero tests." >&2; status=1; fi
  total=$((total + t)); failed=$((failed + f)); skipped=$((skipped + s))
done
[ "$failed" -eq 0 ] || status=1
echo "$((total - failed - skipped)) passed, $failed failed, $skipped skipped"
exit $status
