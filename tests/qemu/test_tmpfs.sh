#!/usr/bin/env bash
# test_tmpfs.sh - /tmp and /dev/shm with a 1 MiB limit (tmpfs_size=1M): boot
# sprout and run /bin/tmpfs_check (tests/user/tmpfs_check.c), which fills them
# until ENOSPC and empties them again, and the root (capped at half of RAM)
# the same way.  Also checks that a malformed
# tmpfs_size= is reported and the default (half of RAM) used.
source "$(dirname "$0")/../lib/check.sh"

dir=$ROOT/build/tests/user
if [ ! -x "$dir/tmpfs_check" ]; then
    fail qemu.tmpfs.built "no $dir/tmpfs_check (make user-tests builds it)"
    summary
    exit
fi

out=$scratch/tmpfs.txt
"$ROOT/tools/run-qemu" --timeout 120 --mem 64M --cmdline tmpfs_size=1M --add "$dir" -- /bin/tmpfs_check > "$out" 2>&1
status=$?
strip_cr "$out"
grep -E '^(PASS|FAIL) ' "$out"
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail qemu.tmpfs.completed "tmpfs_check did not finish (run-qemu status $status)"
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail qemu.tmpfs.completed "tmpfs_check exited with status $status"
fi
expect_grep qemu.tmpfs.boot_reports_the_size "$out" 'tmpfs: /tmp and /dev/shm, 1024 KiB each'

bad=$scratch/tmpfs-bad.txt
"$ROOT/tools/run-qemu" --timeout 60 --mem 128M --cmdline tmpfs_size=12MB -- /bin/true > "$bad" 2>&1
strip_cr "$bad"
expect_grep qemu.tmpfs.bad_size_is_reported "$bad" 'tmpfs: bad tmpfs_size=12MB'
expect_grep qemu.tmpfs.bad_size_uses_half_of_ram "$bad" 'tmpfs: /tmp and /dev/shm, 6[0-9]{4} KiB each'
summary
