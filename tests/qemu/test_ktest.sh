#!/usr/bin/env bash
# test_ktest.sh - run the in-kernel tests (ktest=all, with two CPUs) and pass their results through.
# In a student edition, the in-kernel tests that grade a lab (STUDENT_EDITION
# lists their prefixes, e.g. ktest.cow.) are left to `make grade`: they fail
# until the lab is done.
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/ktest.txt
# An empty scratch disk for the virtio-blk tests (tests/ktest/ktest_disk.c).
truncate -s 8M "$scratch/disk.img"
# Two CPUs, so the smp.* tests (tests/ktest/ktest_smp.c) send real IPIs; the
# other CPU idles while the rest run.
"$ROOT/tools/run-qemu" --cpus 2 --timeout 120 --disk "$scratch/disk.img" --cmdline 'ktest=all loglevel=1' \
    > "$out" 2>&1
status=$?
strip_cr "$out"
lab_prefixes=$(grep -s '^ktest\.' "$ROOT/STUDENT_EDITION" | tr '\n' ' ')
# The kernel prints "[ time] PASS ktest.x" / "FAIL ktest.x: why": re-emit them bare
# (without a lab's tests, and the "also:" lines that follow theirs).
sed -n 's/^\[[ 0-9.]*\] \(PASS\|FAIL\|  also\)/\1/p' "$out" |
    awk -v labs="$lab_prefixes" '
        BEGIN { n = split(labs, prefix, " ") }
        /^(PASS|FAIL) / { skip = 0; for (i = 1; i <= n; i++) if (index($2, prefix[i]) == 1) skip = 1 }
        !skip' > "$scratch/results.txt"
cat "$scratch/results.txt"
passed=$(grep -c '^PASS ktest\.' "$scratch/results.txt")
failed=$(grep -c '^FAIL ktest\.' "$scratch/results.txt")
if ! grep -q '[0-9]* passed, [0-9]* failed' "$out" || [ "$status" -ne 0 ]; then
    tail -30 "$out"
    fail ktest.completed "the in-kernel tests did not finish (run-qemu status $status)"
fi
summary
