#!/usr/bin/env bash
# test_lab_replace.sh - the replacement lab's reference (mm/replace_clock.c in
# the teacher's edition) passes every simulator check, and the manifest lists
# exactly the checks tests/labs/replace/run.sh can report: the simulator's
# cases and the names t_replace.c reports.  The reference's working-set check
# runs in tests/qemu/test_swap.sh's boot (t_replace compare, after swap_check,
# which checks what replace.swapping_keeps_every_byte does); the
# stub's score is checked by test_handout.sh.  Teacher's edition only (make
# handout leaves it out).
source "$(dirname "$0")/../lib/check.sh"

make -s -C "$ROOT" build/mm-sim/test_replace > "$scratch/build.log" 2>&1
"$ROOT/build/mm-sim/test_replace" > "$scratch/sim.out" 2>&1
failures=$(grep '^FAIL replace\.' "$scratch/sim.out")
[ -z "$failures" ] && [ "$(grep -c '^PASS replace\.sim\.' "$scratch/sim.out")" -eq 5 ] \
    && pass lab_replace.reference_passes_the_simulator \
    || fail lab_replace.reference_passes_the_simulator "$failures $(tail -3 "$scratch/sim.out") $(head -3 "$scratch/build.log")"

reported=$( (sed -n 's/^PASS \(replace\.sim\.[a-z0-9_]*\)$/\1/p' "$scratch/sim.out"
    grep -o '"replace\.[a-z_]*"' "$ROOT/tests/labs/replace/t_replace.c" | tr -d '"') | sort | tr '\n' ' ')
listed=$(python3 -c "import json; m=json.load(open('$ROOT/tools/grade-manifest.json'))
print(' '.join(sorted(t['name'] for t in m['labs']['replace']['tests'])))")
[ "$reported" = "$listed " ] && pass lab_replace.manifest_matches_the_checks \
    || fail lab_replace.manifest_matches_the_checks "run.sh can report: $reported; the manifest lists: $listed"
summary
