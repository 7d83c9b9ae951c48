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
summary
