#!/usr/bin/env bash
# test_swap.sh - swapping in a small machine: boot sprout with 20 MiB of RAM
# and a fresh 64 MiB swap area (tools/run-qemu --swap, activated at boot as
# /dev/vda) and run /bin/swap_check (tests/user/swap_check.c): more memory
# than RAM keeps every byte, exit frees the slots, copy-on-write across swap,
# swapoff (ENOMEM, then success), bad headers and bad calls.  Then checks the
# console: the area was activated at boot and the kernel did not panic.  (The
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

# Only swap_check goes into the image: in 20 MiB, GRUB cannot load every test
# program as a second initrd (they outgrew it), and then /bin/swap_check is missing.
only=$scratch/swap-bin
mkdir -p "$only"
cp "$dir/swap_check" "$only/"
out=$scratch/swap.txt
"$ROOT/tools/run-qemu" --mem 20M --swap 64M --timeout 120 --add "$only" -- /bin/swap_check > "$out" 2>&1
status=$?
strip_cr "$out"

grep -E '^(PASS|FAIL) ' "$out"
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
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
expect_no_grep qemu.swap.no_oom_kill "$out" 'Out of memory: Killed process'
summary
