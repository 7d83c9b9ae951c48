#!/usr/bin/env bash
# test_panic.sh - deliberate kernel crashes produce a report naming the culprit and exit QEMU.
source "$(dirname "$0")/../lib/check.sh"

out=$scratch/null.txt
"$ROOT/tools/run-qemu" --timeout 60 --cmdline 'crash=null' > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.panic.null_exit_status "$status" 125
expect_grep qemu.panic.null_message "$out" 'KERNEL PANIC: page fault at address 0x0000000000000000: not-present page, read from kernel mode'
expect_grep qemu.panic.null_rip_symbolized "$out" 'RIP: 0008:ffffffff[0-9a-f]+ crashtest_null_dereference\+0x[0-9a-f]+/0x[0-9a-f]+'
expect_grep qemu.panic.null_backtrace_names_function "$out" '#0 +0x[0-9a-f]+ crashtest_null_dereference\+'
expect_grep qemu.panic.null_backtrace_has_caller "$out" '#[12] +0x[0-9a-f]+ (crashtest_run|kmain)\+'
expect_grep qemu.panic.registers "$out" 'CR2: 0000000000000000'

out=$scratch/panic.txt
"$ROOT/tools/run-qemu" --timeout 60 --cmdline 'crash=panic' > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.panic.explicit_exit_status "$status" 125
expect_grep qemu.panic.explicit_message "$out" 'KERNEL PANIC: crashtest: you asked for a panic'
expect_grep qemu.panic.explicit_backtrace "$out" '#[0-9]+ +0x[0-9a-f]+ crashtest_run\+'
summary
