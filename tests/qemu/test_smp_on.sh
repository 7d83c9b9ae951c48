#!/usr/bin/env bash
# test_smp_on.sh - processes on two CPUs (docs/smp.md, section 7), in
# every make test: t_smp (affinity, two pinned hogs each on its CPU, pipe ping-pong
# of 3000 rounds, a fork/exit/wait storm; the per-CPU run queues: four hogs
# spread two per CPU, an idle CPU pulls, wake-ups across CPUs are not lost,
# fork storms from several parents, a PI lock shared by the two CPUs) and the
# cluster demo's speedup.
# (make test boots the whole user suite on one CPU: docs/smp.md, "What
# make test boots"; this suite is its two-CPU part, about 10 s.)
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/smp_on.txt
"$ROOT/tools/run-qemu" --cpus 2 --cmdline smp=on --timeout 240 --add "$ROOT/build/tests/user" \
    -- /bin/sh -c 'nproc; /bin/t_smp; /bin/cluster 2 400000; head -n 3 /proc/stat' > "$out" 2>&1
status=$?
strip_cr "$out"
cat "$out" | grep -E '^(PASS|FAIL|  |one process|2 workers|speedup|cpu|[0-9]+$)'
expect_status smp_on.exit_status "$status" 0
expect_grep smp_on.nproc_is_two "$out" '^2$'
expect_grep smp_on.t_smp_all_pass "$out" '^15 passed, 0 failed'
expect_grep smp_on.hogs_on_both_cpus "$out" 'hog 0: CPU 0, .*hog 1: CPU 1,'
expect_grep smp_on.cluster_speedup "$out" '^speedup: [0-9.]+x on 2 CPUs'
expect_grep smp_on.cpu1_ran_user_code "$out" '^cpu1 [1-9][0-9]* '
expect_no_grep smp_on.no_panic "$out" 'KERNEL PANIC'
summary
