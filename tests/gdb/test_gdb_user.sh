#!/usr/bin/env bash
# test_gdb_user.sh - debugging a user program with the kernel's gdb, every
# command of docs/gdb.md section 7: sprout-user loads /bin/hello's symbols,
# a breakpoint on its main (conditional on current->name) stops there with
# the right source line, in user mode; `next` steps over printf; a system
# call's backtrace ends at syscall_from_user (no bogus frame below it), and
# an interrupt's at trap_from_user.
source "$(dirname "$0")/../lib/check.sh"
source "$(dirname "$0")/gdb-lib.sh"

# hello from a shell, as docs/gdb.md runs it; the `true` after it is a fresh
# program, so its first instruction faults from user mode: the interrupt
# whose backtrace the last step shows comes for certain (the pages a process
# touches after hello may all be mapped already, by fault-around or an eager fork).
iso=$scratch/user.iso
"$ROOT/tools/mkiso" -o "$iso" --kernel "$ROOT/build/kernel.elf" --initrd "$ROOT/build/initrd.cpio" \
    --cmdline "\"run=/bin/sh -c '/bin/hello; true'\""
gdb_start_qemu "$iso" || { fail gdb.user.qemu_started "could not start QEMU"; summary; exit; }
out=$scratch/gdb.txt
gdb_batch "$out" \
    -ex 'hbreak sched_init' -ex 'continue' -ex 'delete' \
    -ex 'sprout-user hello' \
    -ex 'break main if $_streq(current->name, "hello")' -ex 'continue' \
    -ex 'p argv[0]' -ex 'p $cs & 3' -ex 'printf "%d %s\n", current->pid, current->name' \
    -ex 'next' \
    -ex 'delete' -ex 'break syscall_dispatch if $_streq(current->name, "hello")' -ex 'continue' \
    -ex 'echo SYSCALL-BT\n' -ex 'bt' -ex 'echo END-BT\n' \
    -ex 'p frame->orig_rax' -ex 'info symbol frame->rip' \
    -ex 'remove-symbol-file -a main' -ex 'info symbol 0x401030' \
    -ex 'delete' -ex 'break trap_dispatch if frame->cs == 0x23' -ex 'continue' \
    -ex 'echo TRAP-BT\n' -ex 'bt' -ex 'echo END-BT\n'
gdb_stop_qemu

src=$ROOT/user/hello.c
printf_line=$(grep -n 'printf("Hello from process' "$src" | cut -d: -f1)
return_line=$(awk '/^int main/{m=1} m && /return 0;/{print NR; exit}' "$src")
expect_grep gdb.user.helper_loaded "$out" '^sprout gdb helpers loaded: .*sprout-user'
expect_grep gdb.user.symbols_loaded "$out" '^sprout-user: symbols of .*/build/initrd/bin/hello loaded'
expect_grep gdb.user.suggests_condition "$out" '^ +break main if \$_streq\(current->name, "hello"\)$'
expect_grep gdb.user.breakpoint_in_user_code "$out" '^Breakpoint 2 at 0x40[0-9a-f]{4}: file user/hello.c'
expect_grep gdb.user.stops_in_main "$out" "^Breakpoint 2, main \(argc=1, argv=0x7fff[0-9a-f]+\) at user/hello\.c:$printf_line\$"
expect_grep gdb.user.argv0 "$out" '^\$1 = 0x7fff[0-9a-f]+ "/bin/hello"$'
expect_grep gdb.user.user_mode "$out" '^\$2 = 3$'
expect_grep gdb.user.current_is_hello "$out" '^[0-9]+ hello$'
expect_grep gdb.user.next_steps_over_printf "$out" "^$return_line\s+return 0;"
sed -n '/^SYSCALL-BT$/,/^END-BT$/p' "$out" > "$scratch/syscall_bt.txt"
expect_grep gdb.user.syscall_bt_dispatch "$scratch/syscall_bt.txt" '^#0 +syscall_dispatch \(frame=0x[0-9a-f]+\) at kernel/syscall\.c:[0-9]+'
expect_grep gdb.user.syscall_bt_ends_at_entry "$scratch/syscall_bt.txt" '^#1 +0x[0-9a-f]+ in syscall_from_user \(\) at kernel/syscall_entry\.asm:[0-9]+$'
expect_no_grep gdb.user.syscall_bt_no_bogus_frame "$scratch/syscall_bt.txt" '^#[2-9]|\?\?|Backtrace stopped'
expect_grep gdb.user.syscall_exit_group "$out" '^\$3 = 231$'
expect_grep gdb.user.user_symbol_of_return_address "$out" '^_Exit \+ [0-9]+ in section \.text of .*/build/initrd/bin/hello$'
expect_grep gdb.user.symbols_removed "$out" '^No symbol matches 0x401030\.$'
sed -n '/^TRAP-BT$/,/^END-BT$/p' "$out" > "$scratch/trap_bt.txt"
expect_grep gdb.user.trap_bt_ends_at_trap_from_user "$scratch/trap_bt.txt" '^#[0-9]+ +0x[0-9a-f]+ in trap_from_user \(\) at kernel/trap_entry\.asm:[0-9]+$'
expect_no_grep gdb.user.trap_bt_no_local_label "$scratch/trap_bt.txt" 'trap_common'
last=$(grep '^#' "$scratch/trap_bt.txt" | tail -1)
if [[ $last == *trap_from_user* ]]; then
    pass gdb.user.trap_bt_nothing_below
else
    fail gdb.user.trap_bt_nothing_below "the last frame is '$last'"
fi
[ "$failed" -eq 0 ] || { echo "--- gdb transcript:"; cat "$out"; }
summary
