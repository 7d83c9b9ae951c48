#!/usr/bin/env bash
# test_disk.sh - the virtio disk (tools/run-qemu --disk IMAGE), checked from
# both sides: inside sprout, and on the host in the image file afterwards.
#
#   1. /dev/vda on an empty scratch image: tests/user/blockdev_check.c
#      (unaligned writes, the end of the disk, four processes at once,
#      /proc/diskstats); then the host finds its marker at 5 MiB.
#   2. No disk: no /dev/vda, and /proc/diskstats is empty.
#   3. A copy of build/disk.img as the root (ext2): write files, sync, power
#      off; e2fsck -fn and debugfs on the host; the next boot reads them,
#      writes a file without sync, keeps an unlinked one open and is killed
#      once the flusher wrote them; the boot after frees the orphan;
#      six cp at once leave a clean image with exact copies.  A blank disk
#      falls back to the initrd, so does an ext2 without /bin/init (which
#      then mounts); root=initrd ignores the disk.
#   4. In the first boot of 3, Debian's own dynamically linked bash and
#      coreutils (tools/debian-root; SKIP when the build had no network)
#      run a script, list and read files, and show their libraries mapped.
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

# --- 3. ext2 root on a copy of build/disk.img ---------------------------------
image=$scratch/root.img
cp "$ROOT/build/disk.img" "$image"
run_on_disk() { # NAME SCRIPT: boot with the image as root, run SCRIPT with /bin/sh
    "$ROOT/tools/run-qemu" --timeout 120 --disk "$image" -- /bin/sh -c "$2" > "$scratch/$1.txt" 2>&1
    local status=$?
    strip_cr "$scratch/$1.txt"
    expect_status "qemu.disk.$1.status" "$status" 0
}
# Debian's bash runs this script (section 4) in the same boot, if the disk has it.
debian=$(debugfs -R 'stat /usr/bin/bash' "$image" 2>/dev/null | grep -c '^Inode:')
cat > "$scratch/debian.sh" <<'SCRIPT'
x=5; for i in 1 2 3; do x=$((x + i)); done; echo "loop x=$x"
echo "a b c" | /usr/bin/tr a-z A-Z | /usr/bin/cat
sub=$(/usr/bin/echo inner | /usr/bin/wc -c); echo "substituted $sub"
/usr/bin/false; echo "false gave $?"
/usr/bin/ls -l /persist
/usr/bin/cat /persist/note
/usr/bin/cat /proc/$$/maps
exit 3
SCRIPT
debugfs -w -R "write $scratch/debian.sh /debian.sh" "$image" > /dev/null 2>&1
run_on_disk write 'mkdir /persist && echo "made in boot one" > /persist/note && cp /bin/cat /persist/cat && sync && echo written; if [ -x /usr/bin/bash ]; then /usr/bin/bash /debian.sh; echo "debian bash exited $?"; fi'
expect_grep qemu.disk.root_is_ext2 "$scratch/write.txt" 'root: ext2 on /dev/vda'
expect_grep qemu.disk.write.done "$scratch/write.txt" '^written$'
if e2fsck -fn "$image" > "$scratch/fsck1.txt" 2>&1; then
    pass qemu.disk.e2fsck_clean_after_writes
else
    fail qemu.disk.e2fsck_clean_after_writes "$(tail -5 "$scratch/fsck1.txt" | tr '\n' ' ')"
fi
note=$(debugfs -R 'cat /persist/note' "$image" 2>/dev/null)
if [ "$note" = "made in boot one" ]; then pass qemu.disk.host_reads_the_file; else
    fail qemu.disk.host_reads_the_file "debugfs cat /persist/note gave '$note'"; fi
debugfs -R 'dump /persist/cat '"$scratch/cat.out" "$image" > /dev/null 2>&1
if cmp -s "$scratch/cat.out" "$ROOT/build/initrd/bin/cat"; then pass qemu.disk.host_copy_is_exact; else
    fail qemu.disk.host_copy_is_exact "/persist/cat differs from /bin/cat"; fi

# --- 4. Debian's programs (in the boot above) ----------------------------------
out=$scratch/write.txt
if grep -qs '^qemu\.disk\.debian\.' "$ROOT/STUDENT_EDITION"; then
    echo "SKIP qemu.disk.debian: the student edition (Debian's loader writes to private file maps, which needs the copy-on-write lab's write fault)"
elif [ "$debian" = 0 ]; then
    echo "SKIP qemu.disk.debian: build/disk.img has no /usr/bin/bash ($(cat "$ROOT/build/debian-root/MISSING" 2>/dev/null || echo 'built with DEBIAN=0?'))"
else
    expect_grep qemu.disk.debian.bash_loop "$out" '^loop x=11$'
    expect_grep qemu.disk.debian.bash_pipeline "$out" '^A B C$'
    expect_grep qemu.disk.debian.bash_substitution "$out" '^substituted 6$'
    expect_grep qemu.disk.debian.bash_status "$out" '^false gave 1$'
    expect_grep qemu.disk.debian.bash_exit "$out" '^debian bash exited 3$'
    size=$(stat -c %s "$ROOT/build/initrd/bin/cat")
    expect_grep qemu.disk.debian.ls_l_sizes "$out" "^-rwxr-xr-x 1 root root +$size .* cat\$"
    expect_grep qemu.disk.debian.ls_l_note "$out" '^-rw-r--r-- 1 root root +17 .* note$'
    if [ "$(grep -c '^made in boot one$' "$out")" = 1 ]; then pass qemu.disk.debian.cat; else
        fail qemu.disk.debian.cat "Debian's cat did not print /persist/note"; fi
    expect_grep qemu.disk.debian.maps_loader "$out" ' r-xp [0-9a-f]+ fe:00 [0-9]+ +/lib64/ld-linux-x86-64.so.2$'
    expect_grep qemu.disk.debian.maps_libc "$out" ' r-xp [0-9a-f]+ fe:00 [0-9]+ +/lib/x86_64-linux-gnu/libc.so.6$'
    expect_grep qemu.disk.debian.maps_program "$out" '^5555555[0-9a-f]+-[0-9a-f]+ r-xp .* /usr/bin/bash$'
fi

# The next boot sees them.  It then writes a file without sync, keeps another open after
# unlinking it (the orphan list, docs/ext2.md), waits for the flusher (kernel/fs/writeback.h:
# blocks dirty for 2 s are written within 3 s; the superblock, copied into the cache up to 1 s
# after the change, within 4 s; a chmod'ed inode likewise) and is killed: the file must be on the image,
# the orphan on the superblock's list; the boot after frees it, and e2fsck finds that clean.
"$ROOT/tools/run-qemu" --timeout 120 --disk "$image" -- /bin/sh -c 'cat /persist/note && /persist/cat /persist/note;
    echo "kept by the flusher" > /persist/flushed; echo "unlinked but open" > /persist/orphan; exec 4< /persist/note; chmod 600 /persist/note;
    exec 3< /persist/orphan; rm /persist/orphan; grep Dirty: /proc/meminfo; sleep 8;
    grep Dirty: /proc/meminfo; cat <&3; echo waited; sleep 100' > "$scratch/reboot.txt" 2>&1 &
runner=$!
for _ in $(seq 900); do grep -q '^waited' "$scratch/reboot.txt" && break; sleep 0.1; done
# QEMU itself (run-qemu's child, found without procps): no power-off, no sync.
qemu=$(grep -l "^PPid:[[:space:]]*$runner\$" /proc/[0-9]*/status 2> /dev/null | cut -d/ -f3)
[ -n "$qemu" ] && kill -KILL $qemu
wait $runner
strip_cr "$scratch/reboot.txt"
if [ "$(grep -c '^made in boot one$' "$scratch/reboot.txt")" = 2 ]; then
    pass qemu.disk.files_persist_across_boots
else
    fail qemu.disk.files_persist_across_boots "the second boot did not read /persist/note twice"
fi
dirty=$(grep '^Dirty:' "$scratch/reboot.txt" | awk '{print $2}' | tr '\n' ' ')
# (the second count is not 0: running grep and sleep changed inodes' access times since)
if [ "$(echo $dirty | awk '{print ($1 > 0 && $2 < $1)}')" = 1 ]; then
    pass qemu.disk.meminfo_dirty_until_written
else
    fail qemu.disk.meminfo_dirty_until_written "Dirty: after the write, then 5 s later: $dirty kB"
fi
flushed=$(debugfs -R 'cat /persist/flushed' "$image" 2>/dev/null)
if [ "$flushed" = "kept by the flusher" ]; then pass qemu.disk.flusher_writes_without_sync; else
    fail qemu.disk.flusher_writes_without_sync "after a kill, debugfs cat /persist/flushed gave '$flushed'"; fi
# chmod of a file held open (so its inode stays in memory, not written back on eviction)
# changes only the inode: the flusher writes that too.
if debugfs -R 'stat /persist/note' "$image" 2>/dev/null | grep -q 'Mode: *0600'; then
    pass qemu.disk.flusher_writes_inode_only_changes
else
    fail qemu.disk.flusher_writes_inode_only_changes "after a kill, /persist/note's mode on the disk is not 0600 (chmod in memory only)"
fi
expect_grep qemu.disk.unlinked_file_readable_while_open "$scratch/reboot.txt" '^unlinked but open$'
if debugfs -R stats "$image" 2>/dev/null | grep -q '^First orphan inode: *[1-9]'; then
    pass qemu.disk.orphan_list_on_the_disk
else
    fail qemu.disk.orphan_list_on_the_disk "after the kill the superblock names no orphan inode"
fi

# Several writers at once leave a clean file system with every copy intact.
run_on_disk parallel 'for i in 1 2 3 4 5 6; do cp /bin/sh /par$i & done; wait; sync; echo copied'
expect_grep qemu.disk.parallel.done "$scratch/parallel.txt" '^copied$'
expect_grep qemu.disk.mount_frees_orphans "$scratch/parallel.txt" 'freed 1 orphan inode'
if e2fsck -fn "$image" > "$scratch/fsck2.txt" 2>&1; then
    pass qemu.disk.e2fsck_clean_after_parallel_writers
else
    fail qemu.disk.e2fsck_clean_after_parallel_writers "$(tail -5 "$scratch/fsck2.txt" | tr '\n' ' ')"
fi
bad=0
for i in 1 2 3 4 5 6; do
    debugfs -R "dump /par$i $scratch/par$i" "$image" > /dev/null 2>&1
    cmp -s "$scratch/par$i" "$ROOT/build/initrd/bin/sh" || bad=$((bad + 1))
done
if [ "$bad" = 0 ]; then pass qemu.disk.parallel_copies_intact; else
    fail qemu.disk.parallel_copies_intact "$bad of 6 copies differ from /bin/sh"; fi

# A blank disk is not ext2: the boot says so and uses the initrd.
blank=$scratch/blank.img
truncate -s 8M "$blank"
"$ROOT/tools/run-qemu" --timeout 60 --disk "$blank" -- /bin/true > "$scratch/blank.txt" 2>&1
expect_status qemu.disk.blank_disk_boots "$?" 0
expect_grep qemu.disk.blank_disk_falls_back "$scratch/blank.txt" 'root: cannot mount ext2 from /dev/vda.*initrd'
# An ext2 without /bin/init is a data disk: the initrd is the root, and the disk is free to mount.
mkdir -p "$scratch/data"
echo data > "$scratch/data/file"
mke2fs -q -F -t ext2 -b 1024 -d "$scratch/data" "$scratch/data.img" 8M > /dev/null 2>&1
"$ROOT/tools/run-qemu" --timeout 60 --disk "$scratch/data.img" -- /bin/sh -c 'mkdir /tmp/m && mount /dev/vda /tmp/m && cat /tmp/m/file' \
    > "$scratch/data.txt" 2>&1
expect_status qemu.disk.data_disk_boots "$?" 0
strip_cr "$scratch/data.txt"
expect_grep qemu.disk.data_disk_falls_back "$scratch/data.txt" 'root: /dev/vda has no /bin/init; the root file system is the initrd'
expect_grep qemu.disk.data_disk_mountable "$scratch/data.txt" '^data$'
# root=initrd keeps the initrd even with a good disk.
"$ROOT/tools/run-qemu" --timeout 60 --disk "$image" --cmdline root=initrd -- /bin/sh -c 'ls /persist' > "$scratch/initrd.txt" 2>&1
expect_no_grep qemu.disk.root_initrd_ignores_the_disk "$scratch/initrd.txt" 'root: ext2 on'
expect_grep qemu.disk.root_initrd_unpacks_the_initrd "$scratch/initrd.txt" 'initrd: unpacked'

summary
