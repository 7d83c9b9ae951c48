#!/usr/bin/env bash
# test_gdb_switch.sh - follow context switches in gdb, as docs/gdb.md teaches:
# stop in context_switch twice (current's PID must differ), step through the
# stack swap and come out on the other process's stack; the ps/runq helpers work.
source "$(dirname "$0")/../lib/check.sh"
source "$(dirname "$0")/gdb-lib.sh"

iso=$scratch/switch.iso
"$ROOT/tools/mkiso" -o "$iso" --kernel "$ROOT/build/kernel.elf" --initrd "$ROOT/build/initrd.cpio" \
    --cmdline '"run=/bin/hello"'
gdb_start_qemu "$iso" || { fail gdb.switch.qemu_started "could not start QEMU"; summary; exit; }
out=$scratch/gdb.txt
gdb_batch "$out" \
    -ex 'hbreak sched_init' -ex 'continue' -ex 'delete' \
    -ex 'break context_switch' \
    -ex 'continue' -ex 'printf "STOP1 pid=%d\n", current->pid' \
    -ex 'continue' -ex 'printf "STOP2 pid=%d\n", current->pid' -ex 'bt' -ex 'ps' -ex 'runq' \
    -ex 'delete' -ex 'stepi 15' -ex 'printf "AFTER rsp=%#lx\n", $rsp' -ex 'bt 2' \
    -ex 'info symbol $pc'
gdb_stop_qemu

pid1=$(sed -n 's/^STOP1 pid=\([0-9]*\)/\1/p' "$out")
pid2=$(sed -n 's/^STOP2 pid=\([0-9]*\)/\1/p' "$out")
if [ -n "$pid1" ] && [ -n "$pid2" ] && [ "$pid1" != "$pid2" ]; then
    pass gdb.switch.current_changes_between_stops
else
    fail gdb.switch.current_changes_between_stops "current->pid at the two stops: '$pid1' and '$pid2'"
fi
expect_grep gdb.switch.stops_in_context_switch "$out" '^Breakpoint [0-9]+, context_switch \(\) at proc/switch.asm:[0-9]+'
expect_grep gdb.switch.backtrace_through_schedule "$out" '^#[0-9]+ +(0x[0-9a-f]+ in )?schedule \(\) at sched/sched.c:[0-9]+'  # clang inlines switch_to: no address
expect_grep gdb.switch.backtrace_through_switch_to "$out" '^#1 +0x[0-9a-f]+ in switch_to \(.*\) at sched/sched.c:[0-9]+'
expect_grep gdb.switch.ps_lists_init "$out" '^[ *] +1 +0 +[A-Z]+ +init'
expect_grep gdb.switch.runq_shows_policy "$out" '^policy rr, [0-9]+ ready, quantum [0-9]+ ticks'
# After the 6 pushes, 2 moves, 6 pops and `ret`, we run on the other process's stack.
sed -n '/^AFTER rsp=/,$p' "$out" > "$scratch/after.txt"
expect_grep gdb.switch.resumed_on_other_stack "$scratch/after.txt" '^#0 +(0x[0-9a-f]+ in )?(switch_to|fork_return|init_first_run) '
expect_no_grep gdb.switch.left_context_switch "$scratch/after.txt" '^#0 +context_switch'
expect_grep gdb.switch.resumed_elsewhere "$out" '^(switch_to|fork_return|init_first_run)[^ ]* in section \.text'
[ "$failed" -eq 0 ] || { echo "--- gdb transcript:"; cat "$out"; }
summary
