#!/usr/bin/env bash
# test_swap.sh - swapping in a small machine: boot sprout with 20 MiB of RAM
# and a fresh 64 MiB swap area (tools/run-qemu --swap, activated at boot as
# /dev/vda) and run /bin/swap_check (tests/user/swap_check.c): more memory
# than RAM keeps every byte, exit frees the slots, copy-on-write across swap,
# swapoff (ENOMEM, then success), bad headers and bad calls, a memory cgroup
# at its memory.max swapping its own pages out (and OOM-killed in the group
# with memory.swap.max=0).  Then checks the
# console: the area was activated at boot and the kernel did not panic.
# Then tests/labs/replace/t_replace (the replacement lab) in the same boot.  (The
# seed's demo, swapdemo, runs in the tour's section 17: tools/check-tour.)
source "$(dirname "$0")/../lib/check.sh"
PATH=$PATH:/usr/sbin:/sbin

dir=$ROOT/build/tests/user
if [ ! -x "$dir/swap_check" ]; then
    fail qemu.swap.built "no $dir/swap_check (make user-tests builds it)"
    summary
    exit
fi
if ! command -v mkswap > /dev/null; then
    fail qemu.swap.mkswap "no mkswap on the host (Debian package util-linux)"
    summary
    exit
fi

# The replacement lab's program (tests/labs/replace/t_replace.c) runs after
# swap_check in the same boot, only its comparison (swap_check has just shown
# that memory stays right under the lab's policy): the clock keeps a working
# set that FIFO does not.  In the student edition its
# replace.* checks are the lab's grader (make grade LAB=replace), not counted here.
bin=$scratch/bin
mkdir -p "$bin"
cp "$dir/swap_check" "$bin/"
run='swap_check; s=$?; t_replace compare; exit $s'
if ! musl-gcc -std=gnu11 -static -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/t_replace" \
        "$ROOT/tests/labs/replace/t_replace.c" > "$scratch/t_replace.build" 2>&1; then
    fail qemu.swap.t_replace_builds "$(head -3 "$scratch/t_replace.build")"
    run='swap_check'
fi

out=$scratch/swap.txt
"$ROOT/tools/run-qemu" --mem 20M --swap 64M --timeout 240 --add "$bin" -- /bin/sh -c "$run" > "$out" 2>&1
status=$?
strip_cr "$out"

[ -f "$ROOT/STUDENT_EDITION" ] && sed -i '/^\(PASS\|FAIL\) replace\./d' "$out"
# The working-set comparison runs with kswapd0 off (/proc/kswapd), so its
# fault counts do not depend on the host's load (the clock 34, FIFO 1026).
grep -E '^(PASS|FAIL) |^t_replace:' "$out"
passed=$((passed + $(grep -c '^PASS ' "$out")))
failed=$((failed + $(grep -c '^FAIL ' "$out")))
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail qemu.swap.completed "swap_check did not finish (run-qemu status $status)"
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail qemu.swap.completed "swap_check exited with status $status"
fi

expect_grep qemu.swap.activated_at_boot "$out" 'Adding 65532k swap on /dev/vda\.'
if [ "$status" -eq 125 ] || grep -q 'KERNEL PANIC' "$out"; then
    fail qemu.swap.no_kernel_panic "the kernel panicked or stopped (run-qemu status $status)"
else
    pass qemu.swap.no_kernel_panic
fi
# swap_check's memcg_without_swap_is_oom_killed: the group's OOM killer names it.
expect_grep qemu.swap.memcg_oom_names_the_group "$out" 'oom_memcg=/swapgrp task_memcg=/swapgrp'
expect_no_grep qemu.swap.no_oom_kill "$out" 'Out of memory: Killed process'
summary
