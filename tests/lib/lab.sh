# lab.sh - the check every lab's reference solution goes through (source it
# after check.sh).  Teacher's edition only (make handout leaves it out).
#
#   check_lab_reference LAB COUNT
#       run tests/labs/LAB/run.sh: the manifest (tools/grade-manifest.json)
#       lists exactly the LAB.* checks it reports, and all COUNT of them pass.

check_lab_reference() {
    local lab=$1 count=$2 out="$scratch/run-$1.txt"
    "$ROOT/tests/labs/$lab/run.sh" > "$out" 2>&1
    local reported listed failures
    reported=$(sed -n "s/^\(PASS\|FAIL\) \($lab\.[a-z0-9_.]*\).*/\2/p" "$out" | sort | tr '\n' ' ')
    listed=$(python3 -c "import json; m=json.load(open('$ROOT/tools/grade-manifest.json'))
print(' '.join(sorted(t['name'] for t in m['labs']['$lab']['tests'])))")
    [ "$reported" = "$listed " ] && pass "lab_$lab.manifest_matches_the_checks" \
        || fail "lab_$lab.manifest_matches_the_checks" "run.sh reported: $reported; the manifest lists: $listed"
    failures=$(grep "^FAIL $lab\." "$out")
    [ -z "$failures" ] && [ "$(grep -c "^PASS $lab\." "$out")" -eq "$count" ] \
        && pass "lab_$lab.reference_passes_every_check" \
        || fail "lab_$lab.reference_passes_every_check" "$failures $(tail -3 "$out")"
}
