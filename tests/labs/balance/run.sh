#!/usr/bin/env bash
# run.sh - the multi-core lab's checks in sprout (docs/labs/balance.md): the
# student's sched/balance.c in the kernel, booted with two CPUs and smp=on,
# running tests/labs/balance/t_balance.c (where the hogs are, from
# /proc/PID/stat).  The simulator's checks (tests/sched-sim/test_balance.c)
# are run by tools/grade itself.  Prints a PASS/FAIL line per check.
source "$(dirname "$0")/../../lib/check.sh"
here=$ROOT/tests/labs/balance
bin=$scratch/bin
mkdir -p "$bin"

# The balancer is only asked by a kernel with a run queue per CPU (sched/runqueue.c).
callers() { grep -rl --include='*.c' "$1" "$ROOT/sched" "$ROOT/kernel" "$ROOT/proc" | grep -v '/sched/balance\.c$'; }
if [ -z "$(callers balance_select_cpu)" ] || [ -z "$(callers balance_find_busiest)" ]; then
    echo "run.sh: skipped: this kernel has no per-CPU run queues yet (no kernel code calls balance_select_cpu and balance_find_busiest), so sched/balance.c is not used in sprout"
    summary
    exit 0
fi
if ! musl-gcc -std=gnu11 -static -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/t_balance" \
        "$here/t_balance.c" > "$scratch/t_balance.build" 2>&1; then
    echo "run.sh: t_balance does not build: $(head -3 "$scratch/t_balance.build")"
else
    "$ROOT/tools/run-qemu" --cpus 2 --timeout 120 --cmdline 'smp=on loglevel=4' --add "$bin" \
        -- /bin/t_balance > "$scratch/t_balance.out" 2>&1
    status=$?
    strip_cr "$scratch/t_balance.out"
    grep -E '^(PASS|FAIL) balance\.|^t_balance:' "$scratch/t_balance.out"
    passed=$((passed + $(grep -c '^PASS balance\.' "$scratch/t_balance.out")))
    failed=$((failed + $(grep -c '^FAIL balance\.' "$scratch/t_balance.out")))
    if [ "$status" -gt 1 ]; then
        echo "run.sh: t_balance stopped with status $status: $(tail -3 "$scratch/t_balance.out" | tr '\n' '|')"
    fi
fi
summary
