#!/usr/bin/env bash
# Prints each failed or erroneous test of the last build with the first lines of its message, from the test
# reports (Felix test bundles and the distribution tests). CI shows only the end of a run's output: test.sh calls
# this last when the build failed, so that the failure itself is what a reader of CI sees.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
python3 - "$@" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
reports = sorted(glob.glob("bundles/*.tests/target/failsafe-reports/TEST-*.xml")
                 + glob.glob("releng/distribution-tests/target/*-reports/TEST-*.xml"))
found = 0
for r in reports:
    module = r.split("/target/")[0]
    try:
        tree = ET.parse(r)
    except ET.ParseError as e:
        print(f"{module}: unreadable report {r}: {e}")
        continue
    for case in tree.iter("testcase"):
        for kind in ("failure", "error"):
            for f in case.findall(kind):
                found += 1
                cls = case.get("classname", "").rsplit(".", 1)[-1]
                text = (f.get("message") or "").strip() or (f.text or "").strip()
                lines = text.splitlines()[:6]
                print(f"FAILED {module} {cls}.{case.get('name')} ({kind}, {case.get('time')} s)")
                for line in lines:
                    print(f"    {line[:300]}")
                trace = [l.strip() for l in (f.text or "").splitlines() if l.strip().startswith("at org.vigil")][:3]
                for line in trace:
                    print(f"    {line}")
print(f"{found} failed test(s) in the reports")
PY
