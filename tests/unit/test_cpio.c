/* test_cpio.c - the initrd's cpio (newc) reader on real and malformed archives. */
#include <stdlib.h>
#include "kernel/fs/cpio.h"
#include "tests/unit/unit.h"

static unsigned char archive[8192];
static size_t used;

static void add(const char *name, unsigned mode, const char *data)
{
    size_t namesize = strlen(name) + 1, filesize = data ? strlen(data) : 0;
    used += (size_t)sprintf(
        (char *)archive + used, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1u,
        mode, 0u, 0u, 1u, 1700000000u, (unsigned)filesize, 0u, 0u, 0u, 0u, (unsigned)namesize, 0u);
    memcpy(archive + used, name, namesize);
    used += namesize;
    while (used % 4)
        archive[used++] = 0;
    if (filesize)
        memcpy(archive + used, data, filesize);
    used += filesize;
    while (used % 4)
        archive[used++] = 0;
}

static void build(void)
{
    memset(archive, 0, sizeof archive);
    used = 0;
    add("bin", 040755, NULL);
    add("bin/hello", 0100755, "#!/bin/sh\necho hi\n");
    add("etc/motd", 0100644, "welcome");
    add("TRAILER!!!", 0, NULL);
}

static void reads_every_member_then_stops(void)
{
    build();
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), 1);
    CHECK_STR(e.name, "bin");
    CHECK_EQ(e.mode, 040755);
    CHECK_EQ(e.size, 0);
    CHECK_EQ(cpio_next(archive, used, &offset, &e), 1);
    CHECK_STR(e.name, "bin/hello");
    CHECK_EQ(e.size, 18);
    CHECK(memcmp(e.data, "#!/bin/sh\necho hi\n", 18) == 0);
    CHECK_EQ(e.mtime, 1700000000);
    CHECK_EQ(cpio_next(archive, used, &offset, &e), 1);
    CHECK_STR(e.name, "etc/motd");
    CHECK_EQ(cpio_next(archive, used, &offset, &e), 0); /* the trailer */
}

static void empty_archive_is_the_end(void)
{
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, 0, &offset, &e), 0);
}

static void bad_magic_is_rejected(void)
{
    build();
    archive[5] = '2'; /* "070702": the CRC variant we do not read */
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), -1);
}

static void non_hex_field_is_rejected(void)
{
    build();
    archive[20] = 'Z';
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), -1);
}

static void truncated_data_is_rejected(void)
{
    build();
    uint64_t offset = 0;
    struct cpio_entry e;
    cpio_next(archive, used, &offset, &e);                       /* "bin" */
    CHECK_EQ(cpio_next(archive, offset + 120, &offset, &e), -1); /* cut inside bin/hello */
}

static void name_without_nul_is_rejected(void)
{
    build();
    /* Make the first name's size 2 ("bi") with no NUL inside. */
    memcpy(archive + 6 + 8 * 11, "00000002", 8);
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), -1);
}

static void huge_sizes_are_rejected(void)
{
    build();
    memcpy(archive + 6 + 8 * 6, "FFFFFFFF", 8); /* filesize */
    uint64_t offset = 0;
    struct cpio_entry e;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), -1);
    build();
    memcpy(archive + 6 + 8 * 11, "FFFFFFFF", 8); /* namesize */
    offset = 0;
    CHECK_EQ(cpio_next(archive, used, &offset, &e), -1);
}

static void random_garbage_never_crashes(void)
{
    unsigned seed = 99;
    for (int round = 0; round < 5000; round++) {
        build();
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245 + 12345;
            archive[(seed >> 8) % used] = (unsigned char)(seed >> 20);
        }
        uint64_t offset = 0;
        struct cpio_entry e;
        int steps = 0, r;
        while ((r = cpio_next(archive, used, &offset, &e)) > 0 && steps < 100) {
            CHECK(e.data + e.size <= archive + used); /* everything points inside */
            steps++;
        }
        CHECK(steps < 100); /* it always makes progress to an end */
    }
}

static const struct unit_case cases[] = {
    UNIT(reads_every_member_then_stops), UNIT(empty_archive_is_the_end),
    UNIT(bad_magic_is_rejected),         UNIT(non_hex_field_is_rejected),
    UNIT(truncated_data_is_rejected),    UNIT(name_without_nul_is_rejected),
    UNIT(huge_sizes_are_rejected),       UNIT(random_garbage_never_crashes),
};
UNIT_MAIN("unit.cpio", cases)
