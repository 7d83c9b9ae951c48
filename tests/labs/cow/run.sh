#!/usr/bin/env bash
# run.sh - the copy-on-write lab's checks (docs/labs/cow.md): the kernel's own
# view (the in-kernel tests ktest.cow.*: reference counts, PTE_COW, frames)
# and the user's (tests/labs/cow/t_cow.c: free memory around fork and writes,
# what each process reads).  Prints a PASS/FAIL line per check; tools/grade
# runs it.
source "$(dirname "$0")/../../lib/check.sh"
here=$ROOT/tests/labs/cow
bin=$scratch/bin
mkdir -p "$bin"
if ! musl-gcc -std=gnu11 -static -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/t_cow" \
        "$here/t_cow.c" > "$scratch/t_cow.build" 2>&1; then
    echo "run.sh: t_cow does not build: $(head -3 "$scratch/t_cow.build")"
fi

# The kernel's view: the in-kernel tests whose names start with cow.
"$ROOT/tools/run-qemu" --timeout 120 --cmdline 'ktest=cow. loglevel=1' > "$scratch/ktest.out" 2>&1
strip_cr "$scratch/ktest.out"
sed -n 's/^\[[ 0-9.]*\] \(PASS\|FAIL\) ktest\.\(cow\.\)/\1 \2/p; s/^\[[ 0-9.]*\] \(  also\)/\1/p' \
    "$scratch/ktest.out" > "$scratch/ktest.results"
cat "$scratch/ktest.results"
passed=$((passed + $(grep -c '^PASS cow\.' "$scratch/ktest.results")))
failed=$((failed + $(grep -c '^FAIL cow\.' "$scratch/ktest.results")))
grep -q 'KERNEL PANIC' "$scratch/ktest.out" && fail cow.kernel_tests_ran "the kernel panicked: $(grep -A2 'KERNEL PANIC' "$scratch/ktest.out" | tr '\n' ' ')"

# The user's view.
if [ -x "$bin/t_cow" ]; then
    "$ROOT/tools/run-qemu" --timeout 120 --cmdline loglevel=4 --add "$bin" -- /bin/t_cow \
        > "$scratch/t_cow.out" 2>&1
    status=$?
    strip_cr "$scratch/t_cow.out"
    grep -E '^(PASS|FAIL) cow\.' "$scratch/t_cow.out"
    passed=$((passed + $(grep -c '^PASS cow\.' "$scratch/t_cow.out")))
    failed=$((failed + $(grep -c '^FAIL cow\.' "$scratch/t_cow.out")))
    if [ "$status" -gt 1 ]; then
        echo "run.sh: t_cow stopped with status $status: $(tail -3 "$scratch/t_cow.out" | tr '\n' '|')"
    fi
fi
summary
