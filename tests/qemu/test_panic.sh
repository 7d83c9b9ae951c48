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
# The lock validator (kernel/lock/lockdep.h): crash=lockdep takes two locks
# in one order, then the other; the second order panics before it could
# deadlock, printing both acquisition chains with where each lock was taken.
out=$scratch/lockdep.txt
"$ROOT/tools/run-qemu" --timeout 60 --cmdline 'crash=lockdep' > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.panic.lockdep_exit_status "$status" 125
expect_grep qemu.panic.lockdep_message "$out" 'KERNEL PANIC: lockdep: lock order inversion: "crashtest-B" -> "crashtest-A" here, "crashtest-A" -> "crashtest-B" before'
expect_grep qemu.panic.lockdep_this_chain "$out" 'this chain takes "crashtest-A" while holding "crashtest-B":'
expect_grep qemu.panic.lockdep_this_chain_where "$out" '#1 "crashtest-A" taken at crashtest_lock_b_then_a\+0x[0-9a-f]+/0x[0-9a-f]+  <- now'
expect_grep qemu.panic.lockdep_earlier_chain "$out" 'but an earlier chain took "crashtest-B" while holding "crashtest-A":'
expect_grep qemu.panic.lockdep_earlier_chain_where "$out" '#0 "crashtest-A" taken at crashtest_lock_a_then_b\+0x[0-9a-f]+/0x[0-9a-f]+$'
expect_grep qemu.panic.lockdep_halts "$out" 'sprout: system halted\.'

# The CPU protections (kernel/cpu.h): each crash= option does what the
# protection must stop; the panic names the protection (without it the kernel
# would carry on and panic with "... was not stopped" instead).
#   option  expected panic message (extended regex)
protection_cases=(
    'smap   page fault at address 0x0000000010000000: protection violation on read from kernel mode \(SMAP: the kernel touched user memory outside copy_from_user/copy_to_user\), RIP crashtest_smap\+'
    'smep   page fault at address 0x0000000010000000: protection violation on instruction fetch from kernel mode \(SMEP: the kernel may not execute user pages\)'
    'wx     page fault at address 0xffffffff8[0-9a-f]+: protection violation on write from kernel mode \(W\^X: kernel text and rodata are read-only\), RIP crashtest_write_text\+'
    'nx     page fault at address 0xffffffff8[0-9a-f]+: protection violation on instruction fetch from kernel mode \(NX: kernel data is not executable\)'
    'stack  kernel stack overflow in PID 1 \(crashtest\): double fault at 0xffffff[0-9a-f]+, in the guard below its stack'
)
for entry in "${protection_cases[@]}"; do
    option=${entry%% *}
    message=$(echo "${entry#* }" | sed 's/^ *//')
    out=$scratch/$option.txt
    "$ROOT/tools/run-qemu" --timeout 60 --cmdline "crash=$option" > "$out" 2>&1
    status=$?
    strip_cr "$out"
    expect_status "qemu.panic.${option}_exit_status" "$status" 125
    expect_grep "qemu.panic.${option}_message" "$out" "KERNEL PANIC: $message"
done
# The overflow's backtrace walks the overflowed stack back into the code that started it.
expect_grep qemu.panic.stack_backtrace "$out" '#[0-9]+ +0x[0-9a-f]+ crashtest_stack_overflow\+'

summary
