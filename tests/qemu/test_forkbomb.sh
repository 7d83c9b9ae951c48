#!/usr/bin/env bash
# test_forkbomb.sh - a real fork bomb (tests/user/bomb.c: every process forks
# until EAGAIN and keeps trying) started from the shell with the default
# policy and limits, then commands typed at the shell while it is full: they
# must answer, and `kill -KILL %1` must clear the bomb, long before its
# 60-second fuse (were the shell starved, the bomb would print "time is up";
# the whole boot takes about 20 s here, most of it the bomb filling up).
source "$(dirname "$0")/../lib/check.sh"

dir=$ROOT/build/tests/user
if [ ! -x "$dir/bomb" ]; then
    fail qemu.forkbomb.built "no $dir/bomb (make user-tests builds it)"
    summary
    exit
fi

input=$scratch/input.txt
cat > "$input" <<'EOF2'
ulimit -u
bomb 60 &
bomb --wait-full
pwd
jobs
kill -KILL %1
wait
echo after-bomb
poweroff
EOF2
out=$scratch/out.txt
"$ROOT/tools/run-qemu" --timeout 120 --prompt '$ ' --input "$input" --add "$dir" -- /bin/sh > "$out" 2>&1
status=$?
strip_cr "$out"

limit=$(grep -A1 '^\$ ulimit -u$' "$out" | sed -n '2p')
full=$(sed -n 's/.*bomb: fork failed with EAGAIN at \([0-9]*\) processes$/\1/p' "$out" | head -1)
if [ -n "$full" ] && [ -n "$limit" ] && [ "$full" -le "$limit" ] && [ "$full" -ge $((limit * 9 / 10)) ]; then
    pass qemu.forkbomb.eagain_at_the_limit
else
    fail qemu.forkbomb.eagain_at_the_limit "expected EAGAIN at about RLIMIT_NPROC=$limit processes, got '$full'"
fi
if [ -n "$limit" ] && [ "$limit" -le 1024 ] && [ "$limit" -ge 32 ]; then
    pass qemu.forkbomb.default_limit_from_memory
else
    fail qemu.forkbomb.default_limit_from_memory "ulimit -u printed '$limit' (256 MiB: RAM / 1 MiB, about 255)"
fi
# The commands typed while the bomb is full answer, in order, after it filled up.
if awk '/bomb: fork failed with EAGAIN/ {f=1} f && /^\$ pwd$/ {p=1} p && /^\/$/ {ok=1} END {exit !ok}' "$out"; then
    pass qemu.forkbomb.builtin_answers_while_full
else
    fail qemu.forkbomb.builtin_answers_while_full "no '/' from pwd after the bomb filled up"
fi
expect_grep qemu.forkbomb.jobs_answers "$out" '^\[1\]\+ +Running +bomb 60'
expect_grep qemu.forkbomb.kill_clears_the_job "$out" '^\[1\]\+ +Killed +bomb 60'
expect_grep qemu.forkbomb.fork_works_again "$out" '^after-bomb$'
expect_no_grep qemu.forkbomb.shell_kept_up "$out" 'bomb: time is up'
# (poweroff ends the run without a program status: run-qemu says 125 then, so look for the panic text)
if grep -Eq 'KERNEL PANIC|kernel panic' "$out"; then
    fail qemu.forkbomb.no_kernel_panic "the kernel panicked (run-qemu status $status)"
else
    pass qemu.forkbomb.no_kernel_panic
fi
if ! grep -q '^after-bomb$' "$out"; then
    echo "--- the last lines of the console:"
    tail -30 "$out"
fi
summary
