#!/usr/bin/env bash
# test_sh_edit.sh - the shell's line editor, typed at a real boot: escape
# sequences for the arrow keys, Home, Delete; ^A ^E ^K ^U ^W ^R ^C ^D;
# Tab completion; history. tools/run-qemu sends each line once the prompt
# "$ " is back, so each line below is what a person types at one prompt.
# The checks look at what the commands print, which only a correctly
# edited line can produce.
source "$(dirname "$0")/../lib/check.sh"

long=$(printf 'x%.0s' $(seq 1 2000))
input=$scratch/typed
{
    printf 'stty\n'                                   # programs get the terminal's own modes
    printf 'echo first-line\n'
    printf '\033[A\n'                                # up: run "echo first-line" again
    printf 'echo wrld\033[D\033[D\033[Do\n'          # left x3, insert: "echo world"
    printf 'cho ctrl-a\001e\n'                        # ^A then "e": "echo ctrl-a"
    printf 'echo keep cut\033[D\033[D\033[D\013\n'   # ^K cuts "cut"
    printf 'echo garbage\025echo killed-line\n'      # ^U kills what is before the cursor
    printf 'echo one two\027three\n'                 # ^W erases "two"
    printf 'echo homeX\033[H\033[3~\033[F!\n'         # Home, Delete ("e" of echo goes), End
    printf 'ech\tafter-tab\n'                        # Tab completes the command: "echo "
    printf 'echo /bin/hel\t\n'                       # Tab completes a path: /bin/hello
    printf 'echo arrows\033[B\033OC\033[C\n'         # no ^[[B left behind in the command
    printf '\022killed\n'                            # ^R finds "echo killed-line"
    printf 'echo discarded\003\n'                    # ^C throws the line away
    printf 'echo status=$?\n'
    printf 'echo %s\n' "$long"                       # longer than the old 1023-byte limit
    printf 'echo "echo from-sh-i" | sh -i 2>/dev/null\n'  # -i: interactive without a terminal
    printf 'if true; then\n!nowait echo in-if; fi\n'  # a command over two lines ("> " prompt)
    printf 'while :; do /bin/sleep 5; done; echo not-after-loop\n'
    printf '!nowait \003\n'                          # ^C ends the sleep, and the loop
    printf 'echo after-loop\n'
    printf '\004'                                    # ^D on an empty line: the shell ends
} > "$input"

out=$scratch/edit.txt
"$ROOT/tools/run-qemu" --timeout 120 --prompt '$ ' --input "$input" -- /bin/sh > "$out" 2>&1
status=$?
strip_cr "$out"

if [ "$(grep -c '^first-line$' "$out")" = 2 ]; then pass edit.up_arrow_recalls_history; else fail edit.up_arrow_recalls_history "expected 'first-line' twice"; fi
expect_grep edit.commands_run_in_canonical_mode "$out" '^icanon echo isig '
expect_grep edit.left_arrow_then_insert "$out" '^world$'
expect_grep edit.ctrl_a_goes_to_line_start "$out" '^ctrl-a$'
expect_grep edit.ctrl_k_cuts_to_end "$out" '^keep$'
expect_grep edit.ctrl_u_kills_before_cursor "$out" '^killed-line$'
expect_no_grep edit.killed_text_is_not_run "$out" '^garbage'
expect_grep edit.ctrl_w_erases_a_word "$out" '^one three$'
expect_grep edit.home_delete_end "$out" '^sh: cho: command not found$'
expect_grep edit.tab_completes_command_name "$out" '^after-tab$'
expect_grep edit.tab_completes_path "$out" '^/bin/hello$'
expect_grep edit.arrows_leave_no_escape_bytes "$out" '^arrows$'
expect_no_grep edit.no_escape_in_commands "$out" '(\^\[|\x1b)\[[A-D].*(not found|: )'
if [ "$(grep -c '^killed-line$' "$out")" = 2 ]; then pass edit.ctrl_r_searches_history; else fail edit.ctrl_r_searches_history "expected 'killed-line' twice"; fi
expect_no_grep edit.ctrl_c_discards_line "$out" '^discarded$'
expect_grep edit.ctrl_c_status_130 "$out" '^status=130$'
expect_grep edit.long_line_kept_whole "$out" "^$long\$"
expect_grep edit.sh_i_accepted "$out" '^from-sh-i$'
expect_grep edit.multi_line_command "$out" '^in-if$'
expect_grep edit.ctrl_c_ends_a_loop "$out" '^after-loop$'
expect_no_grep edit.ctrl_c_drops_the_rest_of_the_line "$out" '^not-after-loop$'
expect_grep edit.ctrl_d_ends_the_shell "$out" '^exit$'
expect_no_grep edit.no_panic "$out" 'KERNEL PANIC'
[ "$failed" -eq 0 ] || { echo "--- console:"; tail -60 "$out" | cat -v; }
summary
