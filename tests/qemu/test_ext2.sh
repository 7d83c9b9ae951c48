#!/usr/bin/env bash
# test_ext2.sh - ext2 on a virtio disk: an image made by mke2fs is attached
# (tools/run-qemu --disk), tests/user/ext2_check.c mounts it and works on it,
# the host checks it with e2fsck -fn and debugfs, a second boot finds what the
# first wrote, and images with a broken superblock or inode table are refused
# with a message (EUCLEAN), never a panic.
source "$(dirname "$0")/../lib/check.sh"
PATH=$PATH:/usr/sbin:/sbin # mke2fs, e2fsck, debugfs

dir=$ROOT/build/tests/user
if ! grep -q -- '--disk' "$ROOT/tools/run-qemu"; then
    echo "test_ext2: tools/run-qemu has no --disk (no disk driver in this tree): nothing to run"
    summary
    exit
fi
if [ ! -x "$dir/ext2_check" ]; then
    fail qemu.ext2.built "no $dir/ext2_check (make user-tests builds it)"
    summary
    exit
fi

src=$scratch/src
img=$scratch/disk.img
mkdir -p "$src"
printf 'from mke2fs\n' > "$src/hello.txt"
cp "$ROOT/build/initrd/bin/echo" "$src/echo"
mke2fs -q -F -t ext2 -b 1024 -d "$src" "$img" 8M > /dev/null 2>&1 || fail qemu.ext2.mke2fs "mke2fs failed"

# Run ext2_check in sprout; its PASS/FAIL lines are counted.  In the student
# edition, the cases that need an unfinished lab (listed in STUDENT_EDITION, as
# for test_user.sh) are left out.
lab_prefixes=$(grep -s '^user\.ext2\.' "$ROOT/STUDENT_EDITION" | tr '\n' ' ')
run_check() {
    local out=$scratch/ext2-$1.txt
    shift
    "$ROOT/tools/run-qemu" --timeout 120 --disk "$img" --add "$dir" -- /bin/ext2_check "$@" > "$out" 2>&1
    local status=$?
    strip_cr "$out"
    grep -E '^(PASS|FAIL) ' "$out" |
        awk -v labs="$lab_prefixes" '
            BEGIN { n = split(labs, prefix, " ") }
            { skip = 0; for (i = 1; i <= n; i++) if (index($2, prefix[i]) == 1) skip = 1 }
            !skip' > "$out.results"
    cat "$out.results"
    passed=$((passed + $(grep -c '^PASS ' "$out.results")))
    failed=$((failed + $(grep -c '^FAIL ' "$out.results")))
    if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed' "$out"; then
        tail -30 "$out"
        fail "qemu.ext2.completed" "ext2_check $* did not finish (run-qemu status $status)"
    fi
}

run_check first
if e2fsck -fn "$img" > "$scratch/fsck1.txt" 2>&1; then pass qemu.ext2.e2fsck_clean_after_run
else cat "$scratch/fsck1.txt"; fail qemu.ext2.e2fsck_clean_after_run "e2fsck -fn found problems"; fi
note=$(debugfs -R 'cat /moved/note' "$img" 2>/dev/null)
[ "$note" = kept ] && pass qemu.ext2.debugfs_reads_a_file || fail qemu.ext2.debugfs_reads_a_file "got '$note'"
mapped=$(debugfs -R 'cat /mapped' "$img" 2>/dev/null)
[ "${mapped:0:15}" = "mapped via mmap" ] && [ "${mapped:5000:9}" = "from exit" ] &&
    pass qemu.ext2.mmap_writes_on_disk || fail qemu.ext2.mmap_writes_on_disk "got '${mapped:0:15}' '${mapped:5000:9}'"
marker=$(debugfs -R 'cat /marker' "$img" 2>/dev/null)
[ "$marker" = "written before power-off" ] && pass qemu.ext2.power_off_syncs ||
    fail qemu.ext2.power_off_syncs "got '$marker'"

run_check second again
if e2fsck -fn "$img" > "$scratch/fsck2.txt" 2>&1; then pass qemu.ext2.e2fsck_clean_after_second_boot
else cat "$scratch/fsck2.txt"; fail qemu.ext2.e2fsck_clean_after_second_boot "e2fsck -fn found problems"; fi

# A broken superblock (magic number) and a broken group descriptor (inode
# table past the end): mount refuses, the kernel says why, nothing panics.
corrupt() { # offset bytes...
    mke2fs -q -F -t ext2 -b 1024 -d "$src" "$img" 8M > /dev/null 2>&1
    printf "$2" | dd of="$img" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
for case in "superblock 1080 \\x00\\x00" "group_descriptor 2056 \\xff\\xff\\xff\\x00"; do
    set -- $case
    corrupt "$2" "$3"
    out=$scratch/corrupt-$1.txt
    "$ROOT/tools/run-qemu" --timeout 60 --disk "$img" -- /bin/sh -c 'mkdir /mnt; mount /dev/vda /mnt' > "$out" 2>&1
    status=$?
    strip_cr "$out"
    if [ "$status" = 125 ]; then fail "qemu.ext2.corrupt_$1_refused" "kernel panic"
    elif grep -q 'Structure needs cleaning' "$out" && grep -q 'ext2 (vda): bad' "$out"; then
        pass "qemu.ext2.corrupt_$1_refused"
    else tail -10 "$out"; fail "qemu.ext2.corrupt_$1_refused" "no EUCLEAN and message (status $status)"; fi
done
summary
