#!/usr/bin/env bash
# test_tty.sh - the console's line discipline, typed at a real shell: erase
# (DEL), kill (^U), word erase (^W), end of file (^D), and ^C interrupting
# only the foreground program (a sleeping one and a spinning one) while the
# shell and a background job live on.
#
# tools/run-qemu --input sends the file one line at a time, each once the
# console has been quiet for a moment, like a person typing; the console
# echoes what is typed (with "\b \b" for each erased character), so the
# checks look for lines only the commands themselves can print.  One more
# boot pipes its input in at once, before the shell has started (type-ahead).
source "$(dirname "$0")/../lib/check.sh"

input=$scratch/typed-input
{
    printf 'cat > /tmp/typed\n'
    printf 'helXlo\177\177\177lo world\n'      # 3 DELs erase "o", "l", "X": "hello world"
    printf '\004\n'                             # ^D on an empty line: cat sees end of file
    printf 'cat /tmp/typed\n'
    printf 'wc -c /tmp/typed\n'
    printf 'echo garbage\025echo killed-ok\n'  # ^U throws away "echo garbage"
    printf 'echo one two\027three\n'           # ^W erases the word "two"
    printf '/bin/sleep 40 &\n'                  # a background job: ^C must not touch it
    printf '/bin/sleep 30\n'
    printf '\003\n'                             # ^C while sleep runs in the foreground
    printf 'echo alive $?\n'
    printf '/bin/spin 30\n'
    printf '\003\n'                             # ^C while a CPU hog runs
    printf 'echo alive-after-spin $?\n'
    printf 'jobs\n'
    printf 'wc -c\n'                            # a line longer than Linux's 4095-byte limit
    head -c 5000 /dev/zero | tr '\0' x; printf '\n'
    printf '\004\n'
    printf 't_tty --raw-until 17\n'              # keys typed while the terminal is raw...
    printf 'echo requeued-ok\n'                 # (17 bytes) ...are a line for the shell after
    printf 'stty rows 30 cols 100\n'             # top fills the window it is told about
    printf 'top -n 1 -d 0.1\n'
    printf 'stty rows 24 cols 80\n'
    printf 'exit 7\n'
} > "$input"

out=$scratch/tty.txt
"$ROOT/tools/run-qemu" --timeout 150 --add "$ROOT/build/tests/user" --input "$input" -- /bin/sh \
    > "$out" 2>&1
status=$?
strip_cr "$out"

# (f) Interactive top draws on the alternate screen (so `q` gives back the
# screen it found) and fills all 30 rows: each row ends in ESC[K.
top_frame=$(python3 - "$out" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
start, end = text.find("\033[?1049h"), text.find("\033[?1049l")
print("no-alternate-screen" if start < 0 or end < start else
      "rows=%d" % text[start:end].count("\033[K"))
PY
)
if [ "$top_frame" = "rows=30" ]; then pass tty.top_fills_the_window_on_the_alternate_screen
else fail tty.top_fills_the_window_on_the_alternate_screen "got $top_frame, want rows=30"; fi

# (a) erase: cat received the edited line.
expect_grep tty.erase_edits_the_line "$out" '^hello world$'
# ...and each erase was echoed as backspace, space, backspace.
expect_grep tty.erase_is_echoed "$out" $'^helXlo(\b \b){3}lo world$'
# ^D right after the line's Enter ended cat's input without adding bytes:
# the file is exactly "hello world\n" (12 bytes), and the Enter typed after
# ^D went to the shell, not to cat.
expect_grep tty.eof_ends_input_with_exact_bytes "$out" '^ *12 /tmp/typed$'
# (b) ^U kills the whole line typed so far.
expect_grep tty.kill_discards_the_line "$out" '^killed-ok$'
expect_no_grep tty.killed_text_is_not_run "$out" '^garbage'
# ^W erases one word.
expect_grep tty.werase_erases_a_word "$out" '^one three$'
# (c) ^C kills only the foreground program: the shell prints its status 130 (128+SIGINT).
expect_grep tty.ctrl_c_is_echoed "$out" '\^C'
expect_grep tty.ctrl_c_kills_sleeping_foreground "$out" '^alive 130$'
expect_grep tty.ctrl_c_kills_spinning_foreground "$out" '^alive-after-spin 130$'
expect_grep tty.background_job_survives_ctrl_c "$out" 'Running +/bin/sleep 40'
# Keys typed while a program had the terminal raw became a line again when
# it went back to canonical mode: the shell ran them.
expect_grep tty.raw_typeahead_is_a_line_after "$out" '^(\$ )?requeued-ok$'
# (d) A canonical line keeps 4095 characters and its newline, as on Linux;
# the other 905 were ignored, not echoed, and did not break the line.
expect_grep tty.long_line_keeps_4095_and_newline "$out" '^ *4096$'
expect_grep tty.long_line_echo_stops_at_4095 "$out" '^x{4095}$'
# The shell survived all of it and ran `exit 7`.
expect_status tty.shell_exits_with_its_status "$status" 7
expect_no_grep tty.no_panic "$out" 'KERNEL PANIC'
# (e) Type-ahead: keys that arrive while the machine boots (here piped in
# at once, as with `echo poweroff | make qemu`) reach the shell intact.  The
# same bytes begin with what a terminal answers to the kernel's question about
# its size (ESC[40;120R): the kernel takes that out of the input and sets
# the window size, and the rest is typed-ahead input.  The boot is the one
# `make qemu` does (the console on QEMU's stdio), with a timeout.  At most
# 32 bytes, what QEMU holds for the console (see kernel/serial.c).
ahead=$scratch/ahead.txt
printf '\033[40;120Rstty size\npoweroff\n' |
    timeout 60 qemu-system-x86_64 -m 256M -boot d -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -serial mon:stdio -nic none \
        -drive file="$ROOT/build/os.iso",if=none,id=cd0,format=raw,readonly=on \
        -device ahci,id=ahci0 -device ide-cd,drive=cd0,bus=ahci0.0 > "$ahead" 2>&1
strip_cr "$ahead"
expect_grep tty.typeahead_runs_intact "$ahead" '^(\$ )?40 120$'
expect_grep tty.typeahead_poweroff_runs "$ahead" 'init: powering off'
expect_no_grep tty.size_answer_is_not_input "$ahead" '40;120R|not found'

# One writev is one piece of text on the screen: two processes write 300
# two-piece lines each, preempted mid-line by the timer (before the terminal
# held its lock across the whole call, pieces of the two interleaved).
lines=$scratch/writev.txt
"$ROOT/tools/run-qemu" --timeout 90 --add "$ROOT/build/tests/user" -- /bin/t_tty --writev-lines 300 > "$lines" 2>&1
strip_cr "$lines"
whole=$(grep -cE '^wv([AB]) [0-9]{4} first piece of the line, second piece \1$' "$lines")
broken=$(grep 'wv[AB]\|second piece' "$lines" | grep -vE '^wv([AB]) [0-9]{4} first piece of the line, second piece \1$' | head -3)
if grep -q '^writev-lines: done$' "$lines" && [ "$whole" -eq 600 ] && [ -z "$broken" ]; then
    pass tty.writev_reaches_the_screen_whole
else
    fail tty.writev_reaches_the_screen_whole "$whole of 600 lines whole; first broken: ${broken:-none}"
fi

if [ "$failed" -gt 0 ]; then
    echo "--- the console (with control characters shown by cat -v):"
    cat -v "$out" | grep -Ev '^\[ *[0-9]+\.[0-9]+\]' | tail -60
fi
summary
