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
# In a student edition the balancer is the multi-core lab's stub (it never
# balances): t_smp's cases that need it (STUDENT_EDITION lists them) are left out.
lab_cases=$(grep -s '^user\.smp\.' "$ROOT/STUDENT_EDITION" | tr '\n' ' ')
for case in $lab_cases; do
    sed -i "/^\(PASS\|FAIL\) $case\(:\|\$\)/d" "$out"
done
cat "$out" | grep -E '^(PASS|FAIL|  |one process|2 workers|speedup|cpu|[0-9]+$)'
expect_status smp_on.exit_status "$status" 0
expect_grep smp_on.nproc_is_two "$out" '^2$'
if [ -z "$lab_cases" ]; then
    expect_grep smp_on.t_smp_all_pass "$out" '^15 passed, 0 failed'
elif grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out" && ! grep -q '^FAIL user\.smp\.' "$out"; then
    pass smp_on.t_smp_all_pass # (its count includes the cases left out)
else
    fail smp_on.t_smp_all_pass "t_smp did not finish, or a case failed: $(grep -m3 '^FAIL user\.smp\.' "$out" | tr '\n' '|')"
fi
expect_grep smp_on.hogs_on_both_cpus "$out" 'hog 0: CPU 0, .*hog 1: CPU 1,'
expect_grep smp_on.cluster_speedup "$out" '^speedup: [0-9.]+x on 2 CPUs'
expect_grep smp_on.cpu1_ran_user_code "$out" '^cpu1 [1-9][0-9]* '
expect_no_grep smp_on.no_panic "$out" 'KERNEL PANIC'
summary
