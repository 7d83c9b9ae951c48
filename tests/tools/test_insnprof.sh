#!/usr/bin/env bash
# test_insnprof.sh - tools/insnprof counts the guest's instructions per function.
#
# One boot: `proftarget hot N` runs hot_loop() for N iterations, 8 instructions
# each (tests/user/proftarget.c; the count is read from its disassembly), and
# cold_loop() for N/5.  insnprof must put u:hot_loop first and count 8 per
# iteration, give or take 1% (init's and the shell's code at the same user
# addresses is counted there too: insnprof names addresses after PROG's symbols).
# Without the boot: the per-operation arithmetic of --bench ROW on made-up counts.
# Skipped, saying why, when the plugin cannot be built or QEMU will not load it.
source "$(dirname "$0")/../lib/check.sh"

skip() {
    echo "SKIP tools.insnprof: $1"
    summary
    exit
}

if ! make -s -C "$ROOT" build/insnprof.so > "$scratch/build.txt" 2>&1; then
    skip "cannot build the QEMU plugin build/insnprof.so: $(grep -m1 -i error "$scratch/build.txt")"
fi

target=$ROOT/build/tests/user/proftarget
mkdir -p "$scratch/bin"
cp "$target" "$scratch/bin/" || skip "no $target (make user-tests)"
n=3000000
# --no-icount: the boot takes half the host CPU time (the counts of the loops are the same).
"$ROOT/tools/insnprof" --top 5 --timeout 120 --no-icount --add "$scratch/bin" -- /bin/proftarget hot $n \
    > "$scratch/out.txt" 2>&1
status=$?
strip_cr "$scratch/out.txt"
# QEMU without plugin support, or with a plugin API that lacks the calls insnprof.c declares.
if [ $status -ne 0 ] && refusal=$(grep -m1 -i -E 'qemu-system.*plugin|plugin.*(load|version|symbol)' "$scratch/out.txt"); then
    skip "QEMU does not load the plugin: $refusal"
fi
expect_status tools.insnprof.exit_status $status 0

# "share instructions calls function" rows after the totals (the firmware's are left out).
rows=$(sed -n '/^[0-9]* instructions in the kernel and in user mode$/,$p' "$scratch/out.txt" | awk '$1 ~ /%$/')
first=$(echo "$rows" | head -1 | awk '{ print $4 }')
if [ "$first" = u:hot_loop ]; then
    pass tools.insnprof.hot_loop_first
else
    fail tools.insnprof.hot_loop_first "the first function is ${first:-none}: $(echo "$rows" | head -3 | tr '\n' '|')"
fi
count_of() { echo "$rows" | awk -v name="$1" '$4 == name { print $2 }'; }
hot=$(count_of u:hot_loop)
if [ -n "$hot" ] && [ "$hot" -ge $((8 * n)) ] && [ "$hot" -le $((8 * n + 8 * n / 100)) ]; then
    pass tools.insnprof.hot_loop_counted_exactly
else
    fail tools.insnprof.hot_loop_counted_exactly "u:hot_loop ran ${hot:-no} instructions, expected 8 per iteration: $((8 * n)) to $((8 * n + 8 * n / 100))"
fi
cold=$(count_of u:cold_loop) # 6 instructions an iteration, n/5 iterations
if [ -n "$cold" ] && [ "$cold" -ge $((6 * n / 5)) ] && [ "$cold" -le $((6 * n / 5 + 6 * n / 500)) ]; then
    pass tools.insnprof.cold_loop_counted_exactly
else
    fail tools.insnprof.cold_loop_counted_exactly "u:cold_loop ran ${cold:-no} instructions, expected $((6 * n / 5)) to $((6 * n / 5 + 6 * n / 500))"
fi
expect_grep tools.insnprof.program_ran "$scratch/out.txt" 'init: run: /bin/proftarget hot [0-9]+ exited with status 0'

# --bench ROW: two runs' counts, their difference per extra operation, with calls.
python3 - "$ROOT/tools/insnprof" > "$scratch/bench.txt" 2>&1 <<'EOF'
import collections, importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("insnprof", sys.argv[1])
spec = importlib.util.spec_from_loader("insnprof", loader)
insnprof = importlib.util.module_from_spec(spec)
loader.exec_module(insnprof)
C = collections.Counter
# -n 1: boot 1000, getpid 100 operations of 170; -n 2: 300 operations.
small = (C({"k:boot": 1000, "k:sys_getpid": 100 * 14, "u:main": 100 * 156}), C({"k:sys_getpid": 100}))
large = (C({"k:boot": 1000, "k:sys_getpid": 300 * 14, "u:main": 300 * 156}), C({"k:sys_getpid": 300}))
instructions, calls = insnprof.per_operation([small, large], 200)
print("per_operation", instructions.get("k:boot"), instructions["k:sys_getpid"],
      instructions["u:main"], calls["k:sys_getpid"])
print("operations", insnprof.bench_operations("getpid            1000000    0.210 us", "getpid"))
EOF
expect_grep tools.insnprof.bench_difference_per_operation "$scratch/bench.txt" '^per_operation 0.0 14.0 156.0 1.0$'
expect_grep tools.insnprof.bench_operations_are_rounds_times_iterations "$scratch/bench.txt" '^operations 5000000$'
summary
