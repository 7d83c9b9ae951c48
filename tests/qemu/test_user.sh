#!/usr/bin/env bash
# test_user.sh - every user-level test program (tests/user/t_*.c), in one boot of sprout.
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/user.txt
"$ROOT/tools/run-qemu" --timeout 240 --add "$ROOT/build/tests/user" -- /bin/utest-all > "$out" 2>&1
status=$?
strip_cr "$out"
# Re-emit the cases' own PASS/FAIL lines and count them.
grep -E '^(PASS|FAIL) ' "$out"
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
if ! grep -q '^utest-all: [0-9]* programs' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail user.completed "the user tests did not finish (run-qemu status $status)"
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail user.completed "utest-all exited with status $status"
fi
summary
