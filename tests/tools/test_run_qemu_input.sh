#!/usr/bin/env bash
# test_run_qemu_input.sh - tools/run-qemu --input types its lines once init has
# started, whatever the log level: with loglevel=4 the kernel prints nothing
# (no "Timer:" line), and the input must still arrive instead of timing out.
source "$(dirname "$0")/../lib/check.sh"

printf 'first typed line\nsecond typed line\n' > "$scratch/input.txt"
for level in 4 7; do
    out=$scratch/level$level.txt
    "$ROOT/tools/run-qemu" --timeout 60 --cmdline "loglevel=$level" --input "$scratch/input.txt" \
        -- /bin/head -n 2 > "$out" 2>&1
    status=$?
    strip_cr "$out"
    expect_status run_qemu.input_loglevel_${level}_status $status 0
    # head prints both lines back (after the console's echo of each).
    if [ "$(grep -c '^second typed line$' "$out")" -ge 2 ] && grep -q '^first typed line$' "$out"; then
        pass run_qemu.input_loglevel_${level}_arrives
    else
        fail run_qemu.input_loglevel_${level}_arrives "$(tail -5 "$out" | tr '\n' '|')"
    fi
done
# The case this guards: at loglevel=4 the kernel's "Timer:" line is not printed.
expect_no_grep run_qemu.loglevel_4_hides_kernel_lines "$scratch/level4.txt" 'Timer:'
expect_grep run_qemu.init_says_what_it_runs "$scratch/level4.txt" '^init: run: /bin/head -n 2$'
# "!wait TEXT" holds the next line until TEXT is on the console: here the
# output of a background job, two seconds after the prompt is back (without the
# wait, "echo after" would be typed at once and answer first).
# In the same boot, the prompt in the middle of a line: after output without a
# newline ("no-newline-6$ "), and cut into a background job's line
# ("job-start-$ job-end-8", as on two CPUs); each next line must still be typed.
printf '%s\n' "sh -c 'sleep 2; echo late-\$((1+1))' &" '!wait late-2' 'echo after-$((2+3))' \
    'printf no-newline-$((3+3))' 'echo next-$((3+4))' \
    "sh -c 'printf job-start-; sleep 2; echo job-end-\$((4+4))' & sleep 1" 'echo mid-line-$((4+5))' exit \
    > "$scratch/wait.txt"
"$ROOT/tools/run-qemu" --timeout 60 --cmdline loglevel=4 --prompt '$ ' --input "$scratch/wait.txt" \
    -- /bin/sh > "$scratch/wait.out" 2>&1
status=$?
strip_cr "$scratch/wait.out"
expect_status run_qemu.wait_directive_status $status 0
late=$(grep -n 'late-2$' "$scratch/wait.out" | head -1 | cut -d: -f1)
after=$(grep -n '^after-5$' "$scratch/wait.out" | head -1 | cut -d: -f1)
if [ -n "$late" ] && [ -n "$after" ] && [ "$late" -lt "$after" ] && ! grep -q '^!wait' "$scratch/wait.out"; then
    pass run_qemu.wait_directive_holds_the_next_line
else
    fail run_qemu.wait_directive_holds_the_next_line "late-2 at line ${late:-none}, after-5 at ${after:-none}: $(tail -6 "$scratch/wait.out" | tr '\n' '|')"
fi
if grep -q 'no-newline-6\$ ' "$scratch/wait.out" && grep -q '^next-7$' "$scratch/wait.out"; then
    pass run_qemu.prompt_after_output_without_newline
else
    fail run_qemu.prompt_after_output_without_newline "no next-7 after no-newline-6: $(tail -6 "$scratch/wait.out" | tr '\n' '|')"
fi
if grep -q 'job-start-\$ ' "$scratch/wait.out" && grep -q '^mid-line-9$' "$scratch/wait.out"; then
    pass run_qemu.prompt_in_a_background_jobs_line
else
    fail run_qemu.prompt_in_a_background_jobs_line "no mid-line-9 after the job's line: $(tail -6 "$scratch/wait.out" | tr '\n' '|')"
fi
# Where the prompt can be (tools/run-qemu prompt_seen), each way: the shapes a
# boot cannot produce on demand, such as the prompt followed by the rest of a
# job's line, and the prompt's text inside the typed line's echo (not a prompt).
cases=$(python3 - "$ROOT/tools/run-qemu" <<'EOF2'
import sys
from importlib.machinery import SourceFileLoader
rq = SourceFileLoader("run_qemu", sys.argv[1]).load_module()
p, quiet, busy = b"$ ", rq.PACE + 0.1, 0.0
cases = [
    ("start_of_line", rq.prompt_seen(b"ls\r\nfile\r\n$ ", p, b"ls\n", busy), True),
    ("end_of_output", rq.prompt_seen(b"printf x\r\nx$ ", p, b"printf x\n", busy), True),
    ("end_of_line", rq.prompt_seen(b"cmd\r\njob: go$ \r\n", p, b"cmd\n", busy), True),
    ("cut_into_a_line_when_quiet", rq.prompt_seen(b"cmd\r\nkill 11$  if it is\r\n", p, b"cmd\n", quiet), True),
    ("cut_into_a_line_while_busy", rq.prompt_seen(b"cmd\r\nkill 11$  if it is\r\n", p, b"cmd\n", busy), False),
    ("not_in_the_echo", rq.prompt_seen(b"echo a$ b\r\n", p, b"echo a$ b\n", quiet), False),
    ("not_yet", rq.prompt_seen(b"sleep 5\r\n", p, b"sleep 5\n", quiet), False),
]
for name, got, want in cases:
    print("%s %s" % ("PASS" if got == want else "FAIL", name))
EOF2
)
while read -r verdict name; do
    [ "$verdict" = PASS ] && pass run_qemu.prompt_seen_$name || fail run_qemu.prompt_seen_$name "tools/run-qemu's prompt_seen got it wrong"
done <<< "$cases"
[ "$(grep -c . <<< "$cases")" = 7 ] || fail run_qemu.prompt_seen_cases "the cases did not run: $cases"
summary
