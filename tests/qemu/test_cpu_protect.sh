#!/usr/bin/env bash
# test_cpu_protect.sh - the kernel turns on the protections the CPU offers and
# still boots and runs programs on a CPU without SMEP, SMAP and UMIP.
# (What each protection stops: test_panic.sh crash=..., ktest protect.*, user t_protect.)
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/default.txt
"$ROOT/tools/run-qemu" --timeout 60 -- /bin/echo protected > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.cpu.default_exit_status "$status" 0
expect_grep qemu.cpu.default_all_on "$out" 'CPU: protections: NX SMEP SMAP UMIP$'

out=$scratch/old.txt
"$ROOT/tools/run-qemu" --cpu qemu64 --timeout 60 -- /bin/echo unprotected > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.cpu.without_features_exit_status "$status" 0
expect_grep qemu.cpu.without_features_boot_line "$out" 'CPU: protections: NX \(the others are missing on this CPU\)'
expect_grep qemu.cpu.without_features_runs_programs "$out" '^unprotected$'

# Without SMAP nothing stops the bad read: the crash test says so.
out=$scratch/old-smap.txt
"$ROOT/tools/run-qemu" --cpu qemu64 --timeout 60 --cmdline crash=smap > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.cpu.without_smap_exit_status "$status" 125
expect_grep qemu.cpu.without_smap_not_stopped "$out" 'KERNEL PANIC: crashtest: the kernel read 0x5a from a user page and was not stopped \(SMAP is off\)'
summary
