#!/usr/bin/env bash
# test_boot.sh - boot the real image: banner, memory map, options, clean power-off.
source "$(dirname "$0")/../lib/check.sh"

# A program whose command line GRUB's quoting rules change (tools/run-qemu).
tricky=(/bin/echo 'a  "b"' "c'd" 'e\f' '$HOME' '')

# GRUB from a CD image, as make qemu boots.
out=$scratch/boot.txt
"$ROOT/tools/run-qemu" --grub --timeout 60 --cmdline 'bogus=1' -- "${tricky[@]}" > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.boot.powers_off_cleanly "$status" 0
expect_grep qemu.boot.banner "$out" 'sprout [0-9.]+ - a teaching kernel for x86-64 \(booted by GRUB'
expect_grep qemu.boot.memory_map "$out" '\[mem 0x000000100000-0x[0-9a-f]+\] usable'
expect_grep qemu.boot.memory_summary "$out" 'KiB usable RAM in [0-9]+ regions'
expect_grep qemu.boot.free_memory "$out" 'Memory: [0-9]+ KiB total, [0-9]+ KiB free'
expect_grep qemu.boot.unknown_option_reported "$out" "unknown option 'bogus' ignored"
expect_grep qemu.boot.timer "$out" 'Timer: 100 Hz'
expect_no_grep qemu.boot.no_panic "$out" 'KERNEL PANIC'
# The clock reads finer than a tick (10 ms) from the start: the boot log's
# times before the kernel has counted the TSC over ten ticks (kernel/timer.c)
# are not all whole ticks.
if grep -aq '^\[ *0\.0[0-9]*[1-9][0-9]\{0,3\}\]' "$out"; then
    pass qemu.boot.clock_finer_than_a_tick_at_once
else
    fail qemu.boot.clock_finer_than_a_tick_at_once "every time in the boot log's first 0.1 s is a whole tick: $(grep -ao '^\[ *0\.0[0-9]*\]' "$out" | tail -3 | tr '\n' ' ')"
fi

# QEMU's own loader (Multiboot 1), as every other test boots; with less
# memory: the summary follows what QEMU gives.
out=$scratch/boot64.txt
"$ROOT/tools/run-qemu" --timeout 60 --mem 64M --cmdline 'bogus=1' -- "${tricky[@]}" > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.boot.direct_powers_off_cleanly "$status" 0
expect_grep qemu.boot.direct_banner "$out" 'sprout [0-9.]+ - a teaching kernel for x86-64 \(booted by qemu\)'
expect_grep qemu.boot.direct_module "$out" 'Module 0: initrd0 at '
grub_line=$(grep -a 'Command line: ' "$scratch/boot.txt" | sed 's/^\[[ 0-9.]*\] //')
direct_line=$(grep -a 'Command line: ' "$out" | sed 's/^\[[ 0-9.]*\] //')
if [ -n "$grub_line" ] && [ "$grub_line" = "$direct_line" ] \
        && grep -aqx "a  \"b\" c'd e\\\\f \\\$HOME " "$scratch/boot.txt" && grep -aqx "a  \"b\" c'd e\\\\f \\\$HOME " "$out"; then
    pass qemu.boot.direct_command_line_as_grub_passes_it
else
    fail qemu.boot.direct_command_line_as_grub_passes_it "GRUB passed '$grub_line', QEMU '$direct_line' (and echo printed $(grep -a -A1 'init: run' "$out" | tail -1))"
fi
total=$(sed -n 's/.*Memory: \([0-9]*\) KiB total.*/\1/p' "$out")
if [ -n "$total" ] && [ "$total" -gt 60000 ] && [ "$total" -lt 65536 ]; then
    pass qemu.boot.memory_follows_qemu_size
else
    fail qemu.boot.memory_follows_qemu_size "with -m 64M the kernel reported '${total:-nothing}' KiB"
fi
summary
