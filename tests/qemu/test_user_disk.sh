#!/usr/bin/env bash
# test_user_disk.sh - every user-level test program (tests/user/t_*.c), as
# test_user.sh runs them, but with the root file system on the ext2 disk
# instead of the initrd: the programs are paged in from the disk through the
# page cache, and whatever they create in / lands on ext2.  Afterwards the
# host checks the image with e2fsck -fn.  Cases are named user_disk.SUITE.CASE.
#
# It takes 1.5 to 3 minutes, too long for make test's budget: tests/run-all
# runs it only when named (tests/run-all test_user_disk), which is what
# `make soak` and `make test-disk` do (docs/disk.md, "Tests").
source "$(dirname "$0")/../lib/check.sh"
PATH=$PATH:/usr/sbin:/sbin

if [ ! -x "$ROOT/build/tests/user/utest-all" ] || [ ! -d "$ROOT/build/initrd/bin" ]; then
    fail user_disk.built "no build/tests/user/utest-all or build/initrd (make all user-tests)"
    summary
    exit
fi

# The image: the initrd's tree with the test programs in /bin (what
# run-qemu --add does for the initrd), made as build/disk.img is made.
mkdir -p "$scratch/add/bin"
cp -a "$ROOT/build/tests/user/." "$scratch/add/bin/"
image=$scratch/user.img
if ! "$ROOT/tools/mkdisk" -o "$image" --size 64 --add "$scratch/add" "$ROOT/build/initrd" \
    > "$scratch/mkdisk.txt" 2>&1; then
    fail user_disk.image "tools/mkdisk failed: $(tail -3 "$scratch/mkdisk.txt" | tr '\n' ' ')"
    summary
    exit
fi

out=$scratch/user.txt
"$ROOT/tools/run-qemu" --timeout 540 --disk "$image" -- /bin/utest-all > "$out" 2>&1
status=$?
strip_cr "$out"
# Without this line the kernel fell back to the initrd and nothing here
# would be about the disk.
expect_grep user_disk.root_is_ext2 "$out" '^\[ *[0-9.]+\] root: ext2 on /dev/vda$'

# The cases' own lines, renamed user_disk.*, without those of an unfinished
# lab in a student edition (as test_user.sh).
lab_prefixes=$(grep -s '^user\.' "$ROOT/STUDENT_EDITION" | tr '\n' ' ')
grep -E '^(PASS|FAIL) user\.' "$out" |
    awk -v labs="$lab_prefixes" '
        BEGIN { n = split(labs, prefix, " ") }
        { skip = 0; for (i = 1; i <= n; i++) if (index($2, prefix[i]) == 1) skip = 1 }
        !skip { sub(/^user\./, "user_disk.", $2); print }' > "$scratch/results.txt"
cat "$scratch/results.txt"
passed=$((passed + $(grep -c '^PASS ' "$scratch/results.txt")))
failed=$((failed + $(grep -c '^FAIL ' "$scratch/results.txt")))
if ! grep -q '^utest-all: [0-9]* programs' "$out"; then
    echo "--- the last lines of the console:"
    tail -40 "$out"
    fail user_disk.completed "the user tests did not finish (run-qemu status $status)"
elif [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
    fail user_disk.completed "utest-all exited with status $status"
fi

# init powered off gracefully (sync, unmount): the image must be clean.
if e2fsck -fn "$image" > "$scratch/fsck.txt" 2>&1; then
    pass user_disk.e2fsck_clean_afterwards
else
    fail user_disk.e2fsck_clean_afterwards "$(tail -5 "$scratch/fsck.txt" | tr '\n' ' ')"
fi
summary
