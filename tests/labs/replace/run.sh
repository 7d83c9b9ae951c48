#!/usr/bin/env bash
# run.sh - the replacement lab's checks (docs/labs/replace.md): the policy
# (mm/replace_clock.c) in the host simulator (tests/mm-sim/test_replace.c,
# exact fault counts on fixed traces), then in sprout with 20 MiB of RAM and
# a 64 MiB swap area (tests/labs/replace/t_replace.c: swapping stays correct,
# and a working set stays resident where FIFO's does not).  Prints a
# PASS/FAIL line per check; tools/grade runs it.
source "$(dirname "$0")/../../lib/check.sh"
PATH=$PATH:/usr/sbin:/sbin
here=$ROOT/tests/labs/replace
bin=$scratch/bin
mkdir -p "$bin"

# The simulator: the same policy file, compiled for the host.
if make -s -C "$ROOT" build/mm-sim/test_replace > "$scratch/sim.build" 2>&1; then
    timeout 60 "$ROOT/build/mm-sim/test_replace" > "$scratch/sim.out" 2>&1
    status=$?
    grep -E '^(PASS|FAIL) replace\.|^  ' "$scratch/sim.out"
    passed=$((passed + $(grep -c '^PASS replace\.' "$scratch/sim.out")))
    failed=$((failed + $(grep -c '^FAIL replace\.' "$scratch/sim.out")))
    [ "$status" -gt 1 ] && echo "run.sh: the simulator stopped with status $status: $(tail -2 "$scratch/sim.out" | tr '\n' '|')"
else
    echo "run.sh: the simulator does not build: $(grep -m3 error "$scratch/sim.build" | tr '\n' '|')"
fi

# sprout, with the lab's policy in the kernel.
if ! musl-gcc -std=gnu11 -static -O2 -Wall -Wextra -Werror -I"$ROOT" -o "$bin/t_replace" \
        "$here/t_replace.c" > "$scratch/t_replace.build" 2>&1; then
    echo "run.sh: t_replace does not build: $(head -3 "$scratch/t_replace.build")"
elif ! command -v mkswap > /dev/null; then
    echo "run.sh: no mkswap on the host (Debian package util-linux)"
else
    "$ROOT/tools/run-qemu" --mem 20M --swap 64M --timeout 240 --cmdline loglevel=4 --add "$bin" \
        -- /bin/t_replace > "$scratch/t_replace.out" 2>&1
    status=$?
    strip_cr "$scratch/t_replace.out"
    grep -E '^(PASS|FAIL) replace\.|^t_replace:' "$scratch/t_replace.out"
    passed=$((passed + $(grep -c '^PASS replace\.' "$scratch/t_replace.out")))
    failed=$((failed + $(grep -c '^FAIL replace\.' "$scratch/t_replace.out")))
    if [ "$status" -gt 1 ]; then
        echo "run.sh: t_replace stopped with status $status: $(tail -3 "$scratch/t_replace.out" | tr '\n' '|')"
    fi
fi
summary
