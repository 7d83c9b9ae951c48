#!/usr/bin/env bash
# test_coredump.sh - a crash in sprout leaves a core file that the host's gdb
# reads: boot, run the buggy demo `crash` (built with -g), bring its core out
# over the console (base64 between markers), decode it here and ask gdb for
# the backtrace, the registers and the memory at the stack pointer.  The
# shell says "(core dumped)" only when a core was written.
source "$(dirname "$0")/../lib/check.sh"

prog=$ROOT/build/initrd/bin/crash
source_file=$ROOT/user/demos/crash.c
out=$scratch/console.txt
script='cd /tmp; crash; echo "status=$?"; ls -l core;
echo ==core==; base64 core; echo ==end==;
rm core; ulimit -c 0; crash; echo "limit0 status=$?"; ls core;
ulimit -c unlimited; cd /proc; crash; echo "proc status=$?"; ls /tmp/core; echo done'
"$ROOT/tools/run-qemu" --timeout 120 -- /bin/sh -c "$(echo $script)" > "$out" 2>&1
status=$?
strip_cr "$out"
expect_status coredump.run_exit_status "$status" 0

# 1. The shell's report and the file (the first crash), then no core with
#    RLIMIT_CORE 0 or in a directory that takes no files (/proc).
awk '/^crash: process/{n++} n==1' "$out" > "$scratch/first.txt"
awk '/^crash: process/{n++} n==2' "$out" > "$scratch/limit0.txt"
awk '/^crash: process/{n++} n==3' "$out" > "$scratch/proc.txt"
expect_grep coredump.shell_says_core_dumped "$scratch/first.txt" '^Segmentation fault \(core dumped\)$'
expect_grep coredump.exit_status_139 "$scratch/first.txt" '^status=139$'
expect_grep coredump.core_file_listed "$scratch/first.txt" '^-rw------- +1 +root +root +[0-9]+ .* core$'
expect_grep coredump.limit0_no_core_dumped "$scratch/limit0.txt" '^Segmentation fault$'
expect_no_grep coredump.limit0_never_says_core "$scratch/limit0.txt" 'core dumped'
expect_grep coredump.limit0_no_file "$scratch/limit0.txt" 'ls: (cannot access )?.?core.?: No such file or directory'
expect_grep coredump.unwritable_dir_no_core_dumped "$scratch/proc.txt" '^Segmentation fault$'
expect_grep coredump.unwritable_dir_status "$scratch/proc.txt" '^proc status=139$'
expect_grep coredump.unwritable_dir_no_file "$scratch/proc.txt" "ls: (cannot access )?.?/tmp/core.?: No such file or directory"

# 2. The core on the host.
core=$scratch/core
sed -n '/^==core==$/,/^==end==$/p' "$out" | sed '1d;$d' | base64 -d > "$core" 2>/dev/null
if [ -s "$core" ] && [ "$(head -c 4 "$core" | od -An -c | tr -d ' ')" = '177ELF' ]; then
    pass coredump.core_reaches_host
else
    fail coredump.core_reaches_host "no ELF file between the markers on the console"
fi
readelf -hl "$core" > "$scratch/readelf.txt" 2>&1
expect_grep coredump.core_is_et_core "$scratch/readelf.txt" 'Type: +CORE'
expect_grep coredump.core_has_note "$scratch/readelf.txt" '^ +NOTE '
expect_grep coredump.core_has_loads "$scratch/readelf.txt" '^ +LOAD .* 0x0*400000 '

gdb_out=$scratch/gdb.txt
timeout 60 gdb -q -nx -batch "$prog" "$core" \
    -ex bt -ex 'info registers rip' -ex 'x/4xg $rsp' \
    -ex 'printf "SIGNO=%d\n", $_siginfo.si_signo' \
    -ex 'printf "ADDR=%#lx\n", $_siginfo._sifields._sigfault.si_addr' \
    -ex 'printf "LIST=%#lx\n", list' -ex 'info auxv' -ex 'info registers mxcsr' > "$gdb_out" 2>&1
bug_line=$(grep -n 'the bug: after the last item' "$source_file" | cut -d: -f1)
call_line=$(grep -n 'total_weight(list, 4)' "$source_file" | cut -d: -f1)
expect_grep coredump.gdb_names_signal "$gdb_out" '^Program terminated with signal SIGSEGV'
expect_grep coredump.gdb_bt_faulting_function "$gdb_out" "^#0 +total_weight \(list=0x0, count=4\) at user/demos/crash\.c:$bug_line\$"
expect_grep coredump.gdb_bt_caller "$gdb_out" "^#1 +0x[0-9a-f]+ in main \(\) at user/demos/crash\.c:$call_line\$"
expect_grep coredump.gdb_rip_in_function "$gdb_out" '^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <total_weight\+[0-9]+>'
# The word at the stack pointer is the return address into main (frame #1's pc).
return_pc=$(sed -n 's/^#1 \+\(0x[0-9a-f]*\) in main .*/\1/p' "$gdb_out")
stack_word=$(sed -n 's/^0x[0-9a-f]*:\s\+\(0x[0-9a-f]*\)\s.*/\1/p' "$gdb_out" | head -1)
if [ -n "$return_pc" ] && [ $((return_pc)) -eq $((stack_word)) ]; then
    pass coredump.gdb_memory_at_rsp
else
    fail coredump.gdb_memory_at_rsp "x/4xg \$rsp starts with '$stack_word', the return address is '$return_pc'"
fi
expect_grep coredump.gdb_siginfo_signal "$gdb_out" '^SIGNO=11$'
fault=$(sed -n 's/.*crash\[[0-9]*\]: segfault at \([0-9a-f]*\) .*/\1/p' "$scratch/first.txt")
expect_grep coredump.gdb_siginfo_address "$gdb_out" "^ADDR=0x0*$fault\$"
expect_grep coredump.gdb_variable_from_memory "$gdb_out" '^LIST=0$'
entry=$(readelf -h "$prog" | sed -n 's/.*Entry point address: *\(0x[0-9a-f]*\)/\1/p')
expect_grep coredump.gdb_auxv_entry "$gdb_out" "AT_ENTRY +Entry point of program +$entry\$"
expect_grep coredump.gdb_fpu_registers "$gdb_out" '^mxcsr +0x[0-9a-f]+'
[ "$failed" -eq 0 ] || { echo "--- console:"; grep -v '^[A-Za-z0-9+/=]\{20,\}$' "$out"; echo "--- gdb:"; cat "$gdb_out"; }
summary
