#!/usr/bin/env bash
# test_oom.sh - the OOM killer in a small machine: boot sprout with 64 MiB and
# run /bin/oom_check (tests/user/oom_check.c), whose children leak memory until
# the kernel kills them.  Checks the program's own cases, that the console has
# the kernel's "Out of memory: Killed process N (NAME)" line for every child
# oom_check announced, and that the kernel did not panic.
# OOM_CHECK_DIR overrides where oom_check is taken from (default: the build).
source "$(dirname "$0")/../lib/check.sh"

dir=${OOM_CHECK_DIR:-$ROOT/build/tests/user}
if [ ! -x "$dir/oom_check" ]; then
    fail qemu.oom.built "no $dir/oom_check (make user-tests builds it)"
    summary
    exit
fi

out=$scratch/oom.txt
"$ROOT/tools/run-qemu" --mem 64M --timeout 120 --add "$dir" -- /bin/oom_check > "$out" 2>&1
status=$?
strip_cr "$out"

# Re-emit the cases' own PASS/FAIL lines and count them.
grep -E '^(PASS|FAIL) ' "$out"
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail qemu.oom.completed "oom_check did not finish (run-qemu status $status)"
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail qemu.oom.completed "oom_check exited with status $status"
fi

if [ "$status" -eq 125 ] || grep -q 'KERNEL PANIC' "$out"; then
    fail qemu.oom.no_kernel_panic "the kernel panicked or stopped (run-qemu status $status)"
else
    pass qemu.oom.no_kernel_panic
fi

expect_grep qemu.oom.kernel_reports_a_kill "$out" 'Out of memory: Killed process [0-9]+ \([^)]+\)'
expect_grep qemu.oom.report_shows_shmem "$out" 'Mem-Info: free:[0-9]+kB shmem:[0-9]+kB'

# Every child oom_check leaked in is the one the kernel names.
announced=$(sed -n 's/^oom_check: leaking child \([0-9][0-9]*\)$/\1/p' "$out")
if [ -z "$announced" ]; then
    fail qemu.oom.kernel_names_each_leaker "oom_check announced no leaking child"
else
    missing=
    for pid in $announced; do
        grep -Eq "Out of memory: Killed process $pid \((oom_check|leak)\)" "$out" ||
            missing="$missing $pid"
    done
    if [ -z "$missing" ]; then
        pass qemu.oom.kernel_names_each_leaker
    else
        fail qemu.oom.kernel_names_each_leaker "no 'Killed process N (oom_check|leak)' line for:$missing"
    fi
fi
summary
