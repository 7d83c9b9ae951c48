#!/usr/bin/env bash
# test_disk.sh - the virtio disk (tools/run-qemu --disk IMAGE), checked from
# both sides: inside sprout, and on the host in the image file afterwards.
#
#   1. /dev/vda on an empty scratch image: tests/user/blockdev_check.c
#      (unaligned writes, the end of the disk, four processes at once,
#      /proc/diskstats); then the host finds its marker at 5 MiB.
#   2. No disk: no /dev/vda, and /proc/diskstats is empty.
source "$(dirname "$0")/../lib/check.sh"
PATH=$PATH:/usr/sbin:/sbin

dir=$ROOT/build/tests/user
if [ ! -x "$dir/blockdev_check" ]; then
    fail qemu.disk.built "no $dir/blockdev_check (make user-tests builds it)"
    summary
    exit
fi

# --- 1. the raw disk ----------------------------------------------------------
image=$scratch/raw.img
truncate -s 8M "$image"
out=$scratch/raw.txt
"$ROOT/tools/run-qemu" --timeout 120 --disk "$image" --add "$dir" -- /bin/blockdev_check > "$out" 2>&1
status=$?
strip_cr "$out"
grep -E '^(PASS|FAIL) ' "$out"
passed=$((passed + $(grep -c '^PASS ' "$out")))
failed=$((failed + $(grep -c '^FAIL ' "$out")))
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail qemu.disk.raw_completed "blockdev_check did not finish (run-qemu status $status)"
fi
expect_grep qemu.disk.probed "$out" 'vda: virtio-blk at .*16384 sectors \(8 MiB\)'
marker=$(dd if="$image" bs=1M skip=5 count=1 status=none | head -c 34)
if [ "$marker" = "sprout wrote this through /dev/vda" ]; then
    pass qemu.disk.host_sees_the_write
else
    fail qemu.disk.host_sees_the_write "at 5 MiB the image holds '$marker'"
fi

# --- 2. no disk ---------------------------------------------------------------
out=$scratch/none.txt
"$ROOT/tools/run-qemu" --timeout 60 -- /bin/sh -c 'ls /dev; echo diskstats:; cat /proc/diskstats; echo end' \
    > "$out" 2>&1
strip_cr "$out"
expect_no_grep qemu.disk.no_vda_without_disk "$out" '^vda$|virtio-blk at'
if grep -A1 '^diskstats:$' "$out" | grep -q '^end$'; then
    pass qemu.disk.diskstats_empty_without_disk
else
    fail qemu.disk.diskstats_empty_without_disk "/proc/diskstats is not empty without a disk"
fi

summary
