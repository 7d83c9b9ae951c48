#!/usr/bin/env bash
# test_ktest.sh - run the in-kernel tests (ktest=all) and pass their results through.
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/ktest.txt
# An empty scratch disk for the virtio-blk tests (tests/ktest/ktest_disk.c).
truncate -s 8M "$scratch/disk.img"
"$ROOT/tools/run-qemu" --timeout 120 --disk "$scratch/disk.img" --cmdline 'ktest=all loglevel=1' \
    > "$out" 2>&1
status=$?
strip_cr "$out"
# The kernel prints "[ time] PASS ktest.x" / "FAIL ktest.x: why": re-emit them bare.
sed -n 's/^\[[ 0-9.]*\] \(PASS\|FAIL\|  also\)/\1/p' "$out"
passed=$(grep -c '\] PASS ktest\.' "$out")
failed=$(grep -c '\] FAIL ktest\.' "$out")
if ! grep -q '[0-9]* passed, [0-9]* failed' "$out" || [ "$status" -ne 0 ]; then
    tail -30 "$out"
    fail ktest.completed "the in-kernel tests did not finish (run-qemu status $status)"
fi
summary
