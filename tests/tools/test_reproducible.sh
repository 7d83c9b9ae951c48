#!/usr/bin/env bash
# test_reproducible.sh - the same sources give the same image, on any day.
#
# The initrd and the ISO carry the fixed time SOURCE_DATE_EPOCH for every
# file, whatever the files' times on this machine; the kernel's version
# string uses the same date.  Packing the build's files again, after changing
# their times and the order they were created in, must give the same bytes.
source "$(dirname "$0")/../lib/check.sh"
cd "$ROOT"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
build=build
if [ ! -f $build/initrd.cpio ] || [ ! -f $build/kernel.elf ] || [ ! -f $build/os.iso ]; then
    fail reproducible.built "run make first: build/initrd.cpio, kernel.elf or os.iso is missing"
    summary
fi

# The build's own initrd is what tools/mkinitrd makes of build/initrd/.
tools/mkinitrd $build/initrd "$scratch/a.cpio"
if cmp -s "$scratch/a.cpio" $build/initrd.cpio; then pass reproducible.initrd_from_tree
else fail reproducible.initrd_from_tree "packing build/initrd again gave other bytes than build/initrd.cpio"; fi

# A copy of the tree made file by file in reverse order, dated today and
# yesterday: the archive must not change.
mkdir "$scratch/tree"
(cd $build/initrd && find . -type d) | while read -r d; do mkdir -p "$scratch/tree/$d"; done
(cd $build/initrd && find . -type f | LC_ALL=C sort -r) | while read -r f; do cp "$build/initrd/$f" "$scratch/tree/$f"; done
find "$scratch/tree" -type f -name '[a-m]*' -exec touch -d yesterday {} +
tools/mkinitrd "$scratch/tree" "$scratch/b.cpio"
if cmp -s "$scratch/a.cpio" "$scratch/b.cpio"; then pass reproducible.initrd_ignores_file_times
else fail reproducible.initrd_ignores_file_times "other file times or creation order changed the archive"; fi

# Every entry carries the epoch's date, not the build machine's clock.
want=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%b %e  %Y' | tr -s ' ')
listing=$(cd "$scratch" && TZ=UTC LC_ALL=C cpio -itv --quiet < a.cpio | tr -s ' ')
n_entries=$(echo "$listing" | wc -l)
n_dated=$(echo "$listing" | grep -c "$want" || true)
if [ "$n_entries" -gt 10 ] && [ "$n_entries" -eq "$n_dated" ]; then pass reproducible.initrd_dates
else fail reproducible.initrd_dates "$n_dated of $n_entries entries dated '$want'"; fi

# The kernel's version string says the same date.
want_version=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%b %e %Y')
if grep -aq "#1 $want_version" $build/kernel.elf; then pass reproducible.kernel_version_date
else fail reproducible.kernel_version_date "kernel.elf has no version string '#1 $want_version'"; fi

# Two ISOs made a second apart are the same bytes, and the same as the build's.
tools/mkiso -o "$scratch/1.iso" --kernel $build/kernel.elf --initrd $build/initrd.cpio
sleep 1
tools/mkiso -o "$scratch/2.iso" --kernel $build/kernel.elf --initrd $build/initrd.cpio
if cmp -s "$scratch/1.iso" "$scratch/2.iso"; then pass reproducible.iso_twice
else fail reproducible.iso_twice "two ISOs of the same files differ"; fi
if cmp -s "$scratch/1.iso" $build/os.iso; then pass reproducible.iso_matches_build
else fail reproducible.iso_matches_build "build/os.iso differs from a fresh tools/mkiso of the same files"; fi

summary
