#!/usr/bin/env bash
# test_fuzz.sh - a short fuzzing run: random system calls and mutated
# executables must neither crash nor freeze the kernel, nor keep its memory.
#
# Fixed seeds, so a failure here can be replayed exactly with the command
# tools/fuzz prints; `make fuzz SECONDS=600 SEED=...` runs long ones.
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/fuzz.txt
"$ROOT/tools/fuzz" --seconds 10 --seed 20261206 --elf 150 --memory --log "$scratch/console.txt" > "$out" 2>&1
status=$?
# Re-emit the runner's own PASS/FAIL lines, and what it printed about the run.
grep -E '^(PASS|FAIL) ' "$out"
grep -E '^(fuzz|elfmut): done' "$out" | sort -u | sed 's/^/# /'
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    tail -20 "$out"
    fail fuzz.ran "tools/fuzz printed no results (status $status)"
fi
summary
