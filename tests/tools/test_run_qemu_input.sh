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
printf '%s\n' "sh -c 'sleep 2; echo late-\$((1+1))' &" '!wait late-2' 'echo after-$((2+3))' exit \
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
summary
