#!/usr/bin/env bash
# test_lab_cow.sh - the copy-on-write lab's reference (mm/cow.c in the
# teacher's edition) passes every check of tests/labs/cow/run.sh, and the
# manifest lists exactly the checks run.sh reports.  The stub's score is
# checked by test_handout.sh.  Teacher's edition only (make handout leaves it out).
source "$(dirname "$0")/../lib/check.sh"

"$ROOT/tests/labs/cow/run.sh" > "$scratch/run.txt" 2>&1
reported=$(sed -n 's/^\(PASS\|FAIL\) \(cow\.[a-z0-9_.]*\).*/\2/p' "$scratch/run.txt" | sort | tr '\n' ' ')
listed=$(python3 -c "import json; m=json.load(open('$ROOT/tools/grade-manifest.json'))
print(' '.join(sorted(t['name'] for t in m['labs']['cow']['tests'])))")
[ "$reported" = "$listed " ] && pass lab_cow.manifest_matches_the_checks \
    || fail lab_cow.manifest_matches_the_checks "run.sh reported: $reported; the manifest lists: $listed"
failures=$(grep '^FAIL cow\.' "$scratch/run.txt")
[ -z "$failures" ] && [ "$(grep -c '^PASS cow\.' "$scratch/run.txt")" -eq 11 ] \
    && pass lab_cow.reference_passes_every_check \
    || fail lab_cow.reference_passes_every_check "$failures $(tail -3 "$scratch/run.txt")"
summary
