#!/usr/bin/env bash
# test_smp.sh - SMP bring-up (docs/smp.md): with --cpus 2 both CPUs come up,
# IPIs go round, a panic stops the other CPU and still reports; without ACPI
# the kernel falls back to one CPU and the PIC.  The in-kernel SMP tests
# (ktest smp.*: 20 IPI round trips, every CPU ticking, call-function) run in test_ktest's
# boot; every other suite boots two CPUs too (the default) with processes on
# both, which test_user's t_smp checks.  Here part 1 is stage 1 (smp=off).
source "$(dirname "$0")/../lib/check.sh"

# 1. Two CPUs, stage 1 (smp=off: processes on CPU 0 only), from user space:
#    /proc/cpuinfo, nproc, /proc/interrupts, /proc/stat, dmesg.
out=$scratch/two.txt
"$ROOT/tools/run-qemu" --cpus 2 --timeout 90 --cmdline smp=off -- /bin/sh -c \
    'cat /proc/cpuinfo; echo "nproc=$(nproc) all=$(nproc --all)"; cat /proc/interrupts; grep cpu /proc/stat; dmesg | grep smp:' \
    > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.smp.two_exit_status "$status" 0
expect_grep qemu.smp.madt_lists_two "$out" 'ACPI: MADT at 0x[0-9a-f]+: 2 CPUs, local APICs at 0xfee00000'
expect_grep qemu.smp.lapic_timer_is_the_clock "$out" 'Timer: 100 Hz \(local APIC timer\)'
expect_grep qemu.smp.cpu1_online_in_dmesg "$out" '^\[ *[0-9.]+\] smp: CPU 1 \(APIC 1\) online: .*; idle, not yet scheduling$'
expect_grep qemu.smp.boot_ipi_round_trip "$out" 'smp: IPI round trip CPU 0 -> CPU 1 -> CPU 0: ok'
expect_grep qemu.smp.cpuinfo_cpu0 "$out" '^processor	: 0$'
expect_grep qemu.smp.cpuinfo_cpu1 "$out" '^processor	: 1$'
expect_grep qemu.smp.cpuinfo_apicid1 "$out" '^apicid		: 1$'
expect_grep qemu.smp.cpuinfo_model_name "$out" '^model name	: .+'
expect_grep qemu.smp.nproc_counts_cpus_that_run_processes "$out" '^nproc=1 all=2$'
# Both CPUs take their own timer interrupts; CPU 1 took the boot's ping.
if grep -Eq '^ *LOC: +[1-9][0-9]* +[1-9][0-9]* +Local timer interrupts$' "$out"; then
    pass qemu.smp.interrupts_both_cpus_tick
else
    fail qemu.smp.interrupts_both_cpus_tick "no LOC line with two non-zero counts in /proc/interrupts"
fi
expect_grep qemu.smp.interrupts_cpu1_was_pinged "$out" '^ *RES: +[0-9]+ +[1-9][0-9]* +Rescheduling interrupts$'
# /proc/stat: a line per CPU; CPU 1 runs no processes, so its time is all idle.
expect_grep qemu.smp.stat_cpu1_all_idle "$out" '^cpu1 0 0 0 [1-9][0-9]* 0 0 0 0 0 0$'
expect_no_grep qemu.smp.two_no_panic "$out" 'KERNEL PANIC'

# 2. A panic with two CPUs, on CPU 1 (crash=panic-ap, through a call-function
#    IPI): CPU 0 is stopped by an NMI and shows where it was; both
#    backtraces are symbolised, and QEMU exits with failure.
out=$scratch/panic.txt
"$ROOT/tools/run-qemu" --cpus 2 --timeout 90 --cmdline 'crash=panic-ap' > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.smp.panic_exit_status "$status" 125
expect_grep qemu.smp.panic_message "$out" 'KERNEL PANIC: crashtest: you asked for a panic on CPU 1 \(crash=panic-ap\)'
expect_grep qemu.smp.panic_names_the_cpu "$out" 'on CPU 1 of 2$'
expect_grep qemu.smp.panic_backtrace "$out" '#[0-9]+ +0x[0-9a-f]+ crashtest_panic_on_this_cpu\+0x[0-9a-f]+/0x[0-9a-f]+'
expect_grep qemu.smp.panic_backtrace_through_the_ipi "$out" '#[0-9]+ +0x[0-9a-f]+ smp_call_interrupt\+'
expect_grep qemu.smp.panic_stops_cpu0 "$out" 'CPU 0 \(APIC 0\): stopped at RIP [0-9a-f]{16} [a-z_]+\+0x[0-9a-f]+/0x[0-9a-f]+'
expect_grep qemu.smp.panic_cpu0_backtrace "$out" '#[0-9]+ +0x[0-9a-f]+ kmain\+0x[0-9a-f]+/0x[0-9a-f]+'
expect_grep qemu.smp.panic_halts "$out" 'sprout: system halted\.'

# 3. No ACPI tables (QEMU -machine acpi=off): one CPU, the PIC and the PIT.
out=$scratch/noacpi.txt
"$ROOT/tools/run-qemu" --cpus 2 --no-acpi --timeout 90 -- /bin/sh -c \
    'echo "nproc=$(nproc) all=$(nproc --all)"' > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status qemu.smp.noacpi_exit_status "$status" 0
expect_grep qemu.smp.noacpi_says_why "$out" 'ACPI: no RSDP found: one CPU, the legacy PIC'
expect_grep qemu.smp.noacpi_pit_clock "$out" 'Timer: 100 Hz \(PIT\)'
expect_grep qemu.smp.noacpi_one_cpu "$out" '^nproc=1 all=1$'
expect_no_grep qemu.smp.noacpi_no_second_cpu "$out" 'smp: CPU 1'
summary
