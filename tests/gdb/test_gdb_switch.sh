#!/usr/bin/env bash
# test_gdb_switch.sh - follow context switches in gdb, as docs/gdb.md teaches:
# stop in context_switch twice (current's PID must differ), step through the
# stack swap and come out on the other process's stack; the ps/runq helpers work.
# Then steps 3 to 6 with two spins: backtraces that end at trap_from_user, and
# the way back to user mode through a trap_return conditional on the frame's cs.
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
expect_grep gdb.switch.runq_shows_each_cpu "$out" '^cpu 0: running [0-9]+ [a-z]+; [0-9]+ ready, [0-9]+ pulled, lock free'
expect_grep gdb.switch.ps_shows_the_cpu "$out" '^  PID  PPID STATE .* CPU$'
# After the 6 pushes, 2 moves, 6 pops and `ret`, we run on the other process's stack.
sed -n '/^AFTER rsp=/,$p' "$out" > "$scratch/after.txt"
expect_grep gdb.switch.resumed_on_other_stack "$scratch/after.txt" '^#0 +(0x[0-9a-f]+ in )?(switch_to|fork_return|init_first_run) '
expect_no_grep gdb.switch.left_context_switch "$scratch/after.txt" '^#0 +context_switch'
expect_grep gdb.switch.resumed_elsewhere "$out" '^(switch_to|fork_return|init_first_run)[^ ]* in section \.text'
[ "$failed" -eq 0 ] || { echo "--- gdb transcript:"; cat "$out"; }

# Steps 3 to 6 of docs/gdb.md: two spins take turns.  The conditions pick the
# case the text describes: a spin interrupted by the timer in user mode (not
# on its way out of a clock_gettime system call), and for context_switch one
# that was preempted before, so it resumes in switch_to, not in fork_return.
from_timer='current->tf->vector == 240'  # the local APIC timer (VEC_LAPIC_TIMER, 0xF0), not VEC_SYSCALL
iso=$scratch/spin.iso
"$ROOT/tools/mkiso" -o "$iso" --kernel "$ROOT/build/kernel.elf" --initrd "$ROOT/build/initrd.cpio" \
    --cmdline '"run=/bin/sh -c \"spin 30 & spin 30\""'
gdb_start_qemu "$iso" || { fail gdb.switch.spin_qemu_started "could not start QEMU"; summary; exit; }
spin_out=$scratch/gdb-spin.txt
gdb_batch "$spin_out" \
    -ex 'hbreak sched_init' -ex 'continue' -ex 'delete' \
    -ex 'break sched_timer_tick if $_streq(current->name, "spin") && frame->cs == 0x23' -ex 'continue' \
    -ex 'echo STEP3\n' -ex 'bt' -ex 'p/x frame->rip' \
    -ex 'delete' -ex "break schedule if \$_streq(current->name, \"spin\") && $from_timer" -ex 'continue' \
    -ex 'echo STEP4\n' -ex 'bt' \
    -ex 'delete' \
    -ex "break context_switch if \$_streq(current->name, \"spin\") && current->nivcsw > 0 && $from_timer" \
    -ex 'continue' -ex 'stepi 15' -ex 'echo STEP6\n' \
    -ex 'delete' -ex 'finish' -ex 'finish' \
    -ex 'break trap_return if ((struct trap_frame *)$rdi)->cs == 0x23' -ex 'continue' \
    -ex 'stepi 21' -ex 'p/x $rip' -ex 'printf "RING=%d\n", $cs & 3'
gdb_stop_qemu
sed -n '/^STEP3$/,/^STEP4$/p' "$spin_out" > "$scratch/step3.txt"
sed -n '/^STEP4$/,/^STEP6$/p' "$spin_out" > "$scratch/step4.txt"
sed -n '/^STEP6$/,$p' "$spin_out" > "$scratch/step6.txt"
expect_grep gdb.switch.step3_tick_from_timer "$scratch/step3.txt" '^#1 +0x[0-9a-f]+ in timer_tick '
expect_grep gdb.switch.step3_bt_ends_at_trap_from_user "$scratch/step3.txt" '^#4 +0x[0-9a-f]+ in trap_from_user \(\) at kernel/trap_entry\.asm:[0-9]+$'
expect_no_grep gdb.switch.step3_no_frame_below "$scratch/step3.txt" '^#5|trap_common|\?\?'
expect_grep gdb.switch.step3_user_rip "$scratch/step3.txt" '^\$1 = 0x4[0-9a-f]{5}$'
expect_grep gdb.switch.step4_schedule_from_exit_to_user "$scratch/step4.txt" '^#1 +0x[0-9a-f]+ in exit_to_user '
expect_grep gdb.switch.step4_bt_ends_at_trap_from_user "$scratch/step4.txt" '^#3 +0x[0-9a-f]+ in trap_from_user \(\)'
expect_no_grep gdb.switch.step4_no_frame_below "$scratch/step4.txt" '^#4|\?\?'
expect_grep gdb.switch.step6_finish_into_exit_to_user "$scratch/step6.txt" '^exit_to_user \(frame=.*\) at kernel/[a-z_]+\.c:[0-9]+$'
expect_grep gdb.switch.step6_stops_in_trap_return "$scratch/step6.txt" '^Breakpoint [0-9]+, trap_return \(\) at kernel/trap_entry\.asm:[0-9]+'
expect_grep gdb.switch.step6_back_in_user_mode "$scratch/step6.txt" '^RING=3$'
expect_grep gdb.switch.step6_user_rip "$scratch/step6.txt" '^\$[0-9]+ = 0x4[0-9a-f]{5}$'
[ "$failed" -eq 0 ] || { echo "--- gdb transcript (spins):"; cat "$spin_out"; }
summary
