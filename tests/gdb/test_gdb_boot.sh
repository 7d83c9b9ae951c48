#!/usr/bin/env bash
# test_gdb_boot.sh - the `make qemu-gdb` / `make gdb` workflow, scripted with gdb -batch:
# attach while QEMU is paused at reset (16/32-bit code), stop in 64-bit kmain,
# continue to a later function, and check backtraces, source files and helpers.
source "$(dirname "$0")/../lib/check.sh"
source "$(dirname "$0")/gdb-lib.sh"

gdb_start_qemu "$ROOT/build/os.iso" || { fail gdb.boot.qemu_started "could not start QEMU"; summary; exit; }
out=$scratch/gdb.txt
gdb_batch "$out" \
    -ex 'hbreak kmain' -ex 'continue' -ex 'bt' \
    -ex 'hbreak pagetable_init' -ex 'continue' -ex 'bt' \
    -ex 'finish' -ex 'frames' -ex 'dmesg'
gdb_stop_qemu

expect_grep gdb.boot.helpers_loaded "$out" 'sprout gdb helpers loaded'
expect_grep gdb.boot.stops_in_kmain "$out" '^Breakpoint 1, kmain \(magic=[0-9]+, info_phys=[0-9]+\) at kernel/main.c:[0-9]+'
expect_no_grep gdb.boot.no_g_packet_error "$out" "Remote 'g' packet reply is too long"
# (clang may inline a helper at the start of pagetable_init: then frame #0 is that helper)
expect_grep gdb.boot.later_function "$out" '^(Breakpoint 2, |#[01] +)pagetable_init \(\) at mm/pagetable.c:[0-9]+'
expect_grep gdb.boot.backtrace_source_files "$out" '^#[12] +0x[0-9a-f]+ in kmain \(.*\) at kernel/main.c:[0-9]+'
expect_grep gdb.boot.backtrace_reaches_entry "$out" 'in long_mode_start \(\) at boot/entry.asm:[0-9]+'
expect_grep gdb.boot.frames_command "$out" '^frames: [0-9]+ total, [0-9]+ free, [0-9]+ in use'
expect_grep gdb.boot.dmesg_command "$out" 'sprout [0-9.]+ - a teaching kernel'
[ "$failed" -eq 0 ] || { echo "--- gdb transcript:"; cat "$out"; }
summary
