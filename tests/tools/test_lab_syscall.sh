#!/usr/bin/env bash
# test_lab_syscall.sh - the system-call lab's reference (sethostname in the
# teacher's edition) passes every check of tests/labs/syscall/run.sh, hidden
# ones included, and the manifest lists exactly the checks run.sh reports.
# Teacher's edition only (make handout leaves it out).
source "$(dirname "$0")/../lib/check.sh"

"$ROOT/tests/labs/syscall/run.sh" > "$scratch/run.txt" 2>&1
reported=$(sed -n 's/^\(PASS\|FAIL\) \(syscall\.[a-z0-9_.]*\).*/\2/p' "$scratch/run.txt" | sort | tr '\n' ' ')
listed=$(python3 -c "import json; m=json.load(open('$ROOT/tools/grade-manifest.json'))
print(' '.join(sorted(t['name'] for t in m['labs']['syscall']['tests'])))")
[ "$reported" = "$listed " ] && pass lab_syscall.manifest_matches_the_checks \
    || fail lab_syscall.manifest_matches_the_checks "run.sh reported: $reported; the manifest lists: $listed"
failures=$(grep '^FAIL syscall\.' "$scratch/run.txt")
[ -z "$failures" ] && [ "$(grep -c '^PASS syscall\.' "$scratch/run.txt")" -eq 11 ] \
    && pass lab_syscall.reference_passes_every_check \
    || fail lab_syscall.reference_passes_every_check "$failures $(tail -3 "$scratch/run.txt")"
summary
