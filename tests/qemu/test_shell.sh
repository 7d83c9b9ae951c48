#!/usr/bin/env bash
# test_shell.sh - scripted sessions with the real shell on the console, the way
# a student uses sprout: pipelines, redirections, jobs, signals and the tools.
source "$(dirname "$0")/../lib/check.sh"

input=$scratch/input.txt
cat > "$input" <<'EOF2'
cat /bin/sh | cat | cat | wc -c
wc -c < /bin/sh
echo one > /tmp/f
echo two >> /tmp/f
cat < /tmp/f
ls /no/such/dir 2> /tmp/err
cat /tmp/err
sh -c 'echo to-stdout; echo to-stderr >&2' > /tmp/both 2>&1
cat /tmp/both
segv
echo status=$?
sleep 1 &
wait
echo waited=$?
ulimit -n 16
fdleak
ulimit -n 1024
zombie 4 &
ps
pmap $$
ls /proc/self
nice -n 7 nice
nice -n
sleep 30 &
renice 7 -p $!
renice -n 0 99999
echo renice_status=$?
top -b -s -n 1
kill $!
yes | head -3 | wc -l
yes | head -5 | tail -2 | wc -l
tail /no/such/file
sleep 9 & kill $!; wait; echo waited_for_killed=$?
stty rows 30 cols 100
stty size
stty rows x
stty size < /dev/null
stty rows 24 cols 80
sleep 5 | cat &
lsof
strace -f sh -c 'echo hi | cat'
graceful &
!wait It catches SIGTERM
kill -TERM $!
wait
spin
!wait is spinning
!nowait 
echo alive=$?
umask 027; umask -S; umask 999; umask; umask 022
poweroff
EOF2
# (the line after "spin" is a Ctrl-C: added below, the heredoc cannot hold it)
sed -i 's/^!nowait $/!nowait \x03/' "$input"
out=$scratch/out.txt
"$ROOT/tools/run-qemu" --timeout 200 --prompt '$ ' --input "$input" -- /bin/sh > "$out" 2>&1
status=$?
strip_cr "$out"
expect_no_grep shell.no_panic "$out" 'KERNEL PANIC'
# The same byte count through a pipeline of three processes as from a redirection.
numbers=$(grep -E '^ *[0-9]+ *$' "$out" | head -2 | tr -d ' ')
counts=$(echo "$numbers" | sort -u | wc -l)
first=$(echo "$numbers" | head -1)
if [ "$counts" = 1 ] && [ "${first:-0}" -gt 10000 ]; then
    pass shell.pipeline_keeps_every_byte
else
    fail shell.pipeline_keeps_every_byte "cat|cat|cat|wc -c and wc -c < file disagree: $(echo $numbers)"
fi
expect_grep shell.redirect_and_read_back "$out" '^one$'
if grep -A1 '^one$' "$out" | grep -q '^two$'; then pass shell.append_keeps_order; else fail shell.append_keeps_order "'two' did not follow 'one'"; fi
expect_grep shell.stderr_redirected_to_file "$out" "^ls: (cannot access )?'?/no/such/dir'?: No such file or directory"
if grep -A1 '^to-stdout$' "$out" | grep -q '^to-stderr$'; then pass shell.stderr_joins_stdout; else fail shell.stderr_joins_stdout "2>&1 did not put both lines in the file"; fi
expect_grep shell.segfault_reported "$out" '^Segmentation fault'
expect_grep shell.segfault_status_139 "$out" '^status=139$'
expect_grep shell.background_then_wait "$out" '^waited=0$'
expect_grep shell.emfile_at_the_limit "$out" 'EMFILE after 13 descriptors'
expect_grep shell.ps_shows_zombie "$out" ' Z +0 +0 .*zombie <defunct>'
expect_grep shell.pmap_lists_heap "$out" ' rw--- +\[heap\]$'
expect_grep shell.pmap_lists_stack "$out" ' rw--- +\[stack\]$'
pipe_ids=$(grep -oE 'FIFO +pipe:\[[0-9]+\]' "$out" | grep -oE '\[[0-9]+\]' | sort | uniq -c | awk '$1 >= 2' | wc -l)
if [ "$pipe_ids" -ge 1 ]; then pass shell.lsof_shows_both_pipe_ends; else fail shell.lsof_shows_both_pipe_ends "no pipe:[N] listed for two descriptors"; fi
expect_grep shell.strace_pipe "$out" '^\[pid [0-9]+\] pipe\(\[3, 4\]\) = 0'
expect_grep shell.strace_fork "$out" '^\[pid [0-9]+\] fork\(\) = [0-9]+'
expect_grep shell.strace_execve "$out" '^\[pid [0-9]+\] execve\("/bin/echo", \["echo", "hi"\]'
expect_grep shell.strace_write "$out" '^\[pid [0-9]+\] writev\(1, \[\{iov_base="hi"'
expect_grep shell.graceful_cleans_up "$out" 'graceful shutdown complete after [0-9]+ requests'
expect_grep shell.ctrl_c_kills_foreground_only "$out" '^alive=130$'
expect_grep shell.poweroff_is_graceful "$out" '^(\$ )?init: the system is going down'  # the shell's prompt may land first
expect_no_grep shell.poweroff_is_not_a_failure "$out" 'could not be started'
# nice and renice change the nice value that the scheduler (and top -s) sees.
if grep -A1 '^\$ nice -n 7 nice' "$out" | grep -q '^7$'; then pass shell.nice_adjusts; else fail shell.nice_adjusts "nice -n 7 nice did not print 7"; fi
expect_grep shell.nice_bad_usage "$out" '^usage: nice '
expect_grep shell.renice_reports "$out" '^[0-9]+ \(process ID\) old priority 0, new priority 7$'
expect_grep shell.renice_no_such_process "$out" '^renice: failed to get priority for 99999: No such process$'
expect_grep shell.renice_failure_status "$out" '^renice_status=1$'
expect_grep shell.top_sched_view_header "$out" '^ +PID S +%CPU +NI +TKTS LVL PICKED +RUN_s +WAIT_s RESP_ms +VCSW NVCSW COMMAND$'
expect_grep shell.top_sched_view_shows_nice "$out" '^ +[0-9]+ S +[0-9.]+ +7 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9-]+ +[0-9]+ +[0-9]+ sleep$'
# (Background jobs of earlier commands may print between the command and its answer.)
if grep -A3 -E '(^|\$ )yes \| head -3 \| wc -l$' "$out" | grep -qE '^ *3$'; then pass shell.head_old_form; else fail shell.head_old_form "yes | head -3 | wc -l did not count 3"; fi
if grep -A3 -E '(^|\$ )yes \| head -5 \| tail -2 \| wc -l$' "$out" | grep -qE '^ *2$'; then pass shell.tail_last_lines; else fail shell.tail_last_lines "yes | head -5 | tail -2 | wc -l did not count 2"; fi
expect_grep shell.tail_missing_file "$out" "^tail: cannot open '/no/such/file' for reading: No such file or directory"
# wait reports a job that a signal ended, as bash does.
if grep -B1 '^waited_for_killed=0$' "$out" | grep -qE '^\[[0-9]+\][+-]? +Terminated +sleep 9$'; then pass shell.wait_reports_killed_job; else fail shell.wait_reports_killed_job "no 'Terminated  sleep 9' before wait returned"; fi
# stty sets the window size the TTY reports (TIOCSWINSZ, TIOCGWINSZ), and checks its input.
expect_grep shell.stty_sets_window_size "$out" '^30 100$'
expect_grep shell.stty_bad_number "$out" '^stty: rows needs a number from 1 to 9999$'
expect_grep shell.stty_not_a_tty "$out" '^stty: standard input: Not a tty$'
# umask is a builtin (a child's would die with it): set, shown both ways, bad masks refused.
expect_grep shell.umask_symbolic "$out" '^u=rwx,g=rx,o=$'
expect_grep shell.umask_bad_mask "$out" 'umask: Illegal number: 999'
expect_grep shell.umask_octal "$out" '^0027$'
# ls follows a symlink named on its command line: /proc/self lists the directory.
expect_grep shell.ls_follows_proc_self "$out" '^cmdline +[a-z]+ +[a-z]+ ' # the columns move as /proc/PID gains files
if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then :; fi
[ "$failed" -eq 0 ] || { echo "--- console:"; tail -80 "$out"; }
summary
