#!/usr/bin/env bash
# run.sh - the system-call lab's checks (docs/labs/syscall.md): builds the lab's
# test programs (and, in the teacher's edition, the hidden ones), boots sprout
# with them, and prints a PASS/FAIL line per check.  tools/grade runs it.
source "$(dirname "$0")/../../lib/check.sh"
here=$ROOT/tests/labs/syscall
bin=$scratch/bin
mkdir -p "$bin"
for source in "$here"/t_*.c "$here"/hidden/t_*.c; do
    [ -e "$source" ] || continue
    name=$(basename "$source" .c)
    if ! musl-gcc -std=gnu11 -static -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/$name" "$source" \
            > "$scratch/$name.build" 2>&1; then
        echo "run.sh: $name does not build: $(head -3 "$scratch/$name.build")"
    fi
done

run() { # run NAME ARGS... -> $scratch/NAME.out (the console, without CRs)
    local out=$scratch/$1.out
    shift
    "$ROOT/tools/run-qemu" --timeout 60 --cmdline loglevel=4 --add "$bin" -- "$@" > "$out" 2>&1
    strip_cr "$out"
}
results() { # the program's PASS/FAIL lines, counted for the summary
    grep -E '^(PASS|FAIL) syscall\.' "$1"
    passed=$((passed + $(grep -c '^PASS syscall\.' "$1")))
    failed=$((failed + $(grep -c '^FAIL syscall\.' "$1")))
}

if [ -x "$bin/t_hostname" ]; then
    run public /bin/t_hostname
    results "$scratch/public.out"
    # strace decodes the new call: its name, the name as a string, the length.
    run strace /bin/strace /bin/t_hostname set lab-host
    if grep -q '^sethostname("lab-host", 8) = 0$' "$scratch/strace.out"; then
        pass syscall.sethostname.strace_decodes_it
    else
        fail syscall.sethostname.strace_decodes_it "wanted the line 'sethostname(\"lab-host\", 8) = 0' from strace, got: $(grep -E 'sethostname|syscall_170|0xaa' "$scratch/strace.out" | head -2)"
    fi
fi
if [ -x "$bin/t_hostname_bad_args" ]; then
    run hidden /bin/t_hostname_bad_args
    results "$scratch/hidden.out"
fi
summary
