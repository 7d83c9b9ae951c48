/* test_multiboot.c - the multiboot2 parser on hand-built and malformed tag lists,
 * and the Multiboot 1 parser on hand-built and malformed "physical memory". */
#include "kernel/multiboot.h"
#include "tests/unit/unit.h"

/* A builder for tag lists, 8-byte aligned like GRUB's. */
static _Alignas(8) unsigned char buf[4096];
static size_t len;

static void begin(void)
{
    memset(buf, 0xEE, sizeof buf);
    len = 8;
}

static void put32(size_t at, uint32_t v) { memcpy(buf + at, &v, 4); }
static void put64(size_t at, uint64_t v) { memcpy(buf + at, &v, 8); }

/* Append a tag with `body` of `body_len` bytes; returns the tag's offset. */
static size_t tag(uint32_t type, const void *body, size_t body_len)
{
    size_t at = len;
    put32(at, type);
    put32(at + 4, (uint32_t)(8 + body_len));
    if (body_len)
        memcpy(buf + at + 8, body, body_len);
    len = (at + 8 + body_len + 7) & ~(size_t)7;
    return at;
}

static size_t finish(void)
{
    tag(MB2_TAG_END, NULL, 0);
    put32(0, (uint32_t)len);
    put32(4, 0);
    return len;
}

static size_t mmap_tag(int entries, uint32_t entry_size)
{
    unsigned char body[8 + 16 * 48];
    memset(body, 0, sizeof body);
    memcpy(body, &entry_size, 4);
    for (int i = 0; i < entries; i++) {
        uint64_t base = (uint64_t)i << 20, length = 1 << 20;
        uint32_t type = i == 1 ? 2 : MEMORY_AVAILABLE;
        memcpy(body + 8 + i * entry_size, &base, 8);
        memcpy(body + 8 + i * entry_size + 8, &length, 8);
        memcpy(body + 8 + i * entry_size + 16, &type, 4);
    }
    return tag(MB2_TAG_MMAP, body, 8 + (size_t)entries * entry_size);
}

static struct boot_info info;
static const char *error;

static void well_formed(void)
{
    begin();
    tag(MB2_TAG_CMDLINE, "sched=rr loglevel=3", 20);
    tag(MB2_TAG_LOADER_NAME, "GRUB 2.06", 10);
    unsigned char module[8 + 8] = {0};
    uint32_t start = 0x200000, end = 0x280000;
    memcpy(module, &start, 4);
    memcpy(module + 4, &end, 4);
    memcpy(module + 8, "initrd0", 8);
    tag(MB2_TAG_MODULE, module, sizeof module);
    mmap_tag(3, 24);
    tag(99, "ignored", 8); /* unknown tags are skipped */
    size_t n = finish();

    CHECK_EQ(multiboot_parse(buf, n, &info, &error), 0);
    CHECK_STR(info.cmdline, "sched=rr loglevel=3");
    CHECK_STR(info.loader_name, "GRUB 2.06");
    CHECK_EQ(info.module_count, 1);
    CHECK_EQ(info.modules[0].start, 0x200000);
    CHECK_EQ(info.modules[0].end, 0x280000);
    CHECK_STR(info.modules[0].name, "initrd0");
    CHECK_EQ(info.region_count, 3);
    CHECK_EQ(info.regions[2].base, 2 << 20);
    CHECK_EQ(info.regions[1].type, 2);
    CHECK_EQ(info.info_end - info.info_start, n);
}

static void larger_mmap_entries_are_stepped_over(void)
{
    begin();
    mmap_tag(4, 32); /* entry_size may grow in later versions of the spec */
    size_t n = finish();
    CHECK_EQ(multiboot_parse(buf, n, &info, &error), 0);
    CHECK_EQ(info.region_count, 4);
    CHECK_EQ(info.regions[3].base, 3 << 20);
}

static void expect_rejected(size_t n, const char *why_contains)
{
    error = NULL;
    CHECK_EQ(multiboot_parse(buf, n, &info, &error), -1);
    CHECK(error != NULL);
    if (error && !strstr(error, why_contains)) {
        char msg[256];
        snprintf(msg, sizeof msg, "error \"%s\" should mention \"%s\"", error, why_contains);
        unit_fail(__FILE__, __LINE__, msg);
    }
}

static void too_short_for_header(void)
{
    begin();
    finish();
    expect_rejected(8, "shorter");
}

static void total_size_larger_than_buffer(void)
{
    begin();
    size_t n = finish();
    put32(0, 100000);
    expect_rejected(n, "total_size");
}

static void total_size_too_small(void)
{
    begin();
    size_t n = finish();
    put32(0, 12);
    expect_rejected(n, "total_size");
}

static void missing_end_tag(void)
{
    begin();
    tag(MB2_TAG_CMDLINE, "x", 2);
    put32(0, (uint32_t)len);
    expect_rejected(len, "end tag");
}

static void tag_runs_past_end(void)
{
    begin();
    size_t at = tag(MB2_TAG_CMDLINE, "abc", 4);
    size_t n = finish();
    put32(at + 4, 4000);
    expect_rejected(n, "size");
}

static void tag_size_below_header(void)
{
    begin();
    size_t at = tag(MB2_TAG_CMDLINE, "abc", 4);
    size_t n = finish();
    put32(at + 4, 4); /* would loop forever or read backwards if trusted */
    expect_rejected(n, "size");
}

static void unterminated_cmdline(void)
{
    begin();
    tag(MB2_TAG_CMDLINE, "abcd", 4); /* no NUL inside the tag */
    size_t n = finish();
    expect_rejected(n, "NUL");
}

static void unterminated_module_name(void)
{
    begin();
    unsigned char module[8 + 8];
    memset(module, 'A', sizeof module);
    put32(0, 0);
    uint32_t zero = 0;
    memcpy(module, &zero, 4);
    memcpy(module + 4, &zero, 4);
    tag(MB2_TAG_MODULE, module, sizeof module);
    size_t n = finish();
    expect_rejected(n, "NUL");
}

static void module_ending_before_start(void)
{
    begin();
    unsigned char module[8 + 2] = {0};
    uint32_t start = 0x300000, end = 0x200000;
    memcpy(module, &start, 4);
    memcpy(module + 4, &end, 4);
    tag(MB2_TAG_MODULE, module, sizeof module);
    size_t n = finish();
    expect_rejected(n, "module");
}

static void bad_mmap_entry_size(void)
{
    begin();
    mmap_tag(2, 12);
    size_t n = finish();
    expect_rejected(n, "entry_size");
    begin();
    mmap_tag(2, 28); /* not a multiple of 8 */
    n = finish();
    expect_rejected(n, "entry_size");
}

static void end_tag_wrong_size(void)
{
    begin();
    size_t at = len;
    put32(at, MB2_TAG_END);
    put32(at + 4, 16);
    len += 16;
    put32(0, (uint32_t)len);
    expect_rejected(len, "end tag");
}

static void wrapping_regions_are_dropped(void)
{
    begin();
    size_t at = mmap_tag(2, 24);
    put64(at + 16 + 24, 0xFFFFFFFFFFFFF000ull); /* entry 1 base */
    put64(at + 16 + 24 + 8, 0x2000);            /* wraps past 2^64 */
    size_t n = finish();
    CHECK_EQ(multiboot_parse(buf, n, &info, &error), 0);
    CHECK_EQ(info.region_count, 1);
}

static void random_garbage_never_crashes(void)
{
    /* Whatever the bytes, the parser returns (ASan checks it stays in bounds). */
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = 16 + (seed % 200);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            buf[i] = (unsigned char)(seed >> 16);
            if ((seed >> 8) % 3 == 0)
                buf[i] = 0; /* plenty of zeros, so some tags look plausible */
        }
        put32(0, (uint32_t)n);
        error = NULL;
        if (multiboot_parse(buf, n, &info, &error) == 0) {
            /* Accepted: the results respect their bounds. */
            CHECK(info.region_count <= BOOT_MAX_REGIONS);
            CHECK(info.module_count <= BOOT_MAX_MODULES);
            CHECK(memchr(info.cmdline, 0, sizeof info.cmdline) != NULL);
        } else {
            CHECK(error != NULL); /* rejected: always with a reason */
        }
    }
}

/* --- Multiboot 1: a small "physical memory" the parser reads by address ---- */

static _Alignas(8) unsigned char low[8192];
enum { MBI = 0x100, MMAP = 0x400, MODS = 0x800, STRINGS = 0x1000 };

static void low_put32(size_t at, uint32_t v) { memcpy(low + at, &v, 4); }

/* QEMU's layout: flags, the command line (the kernel's file name first), two
 * modules, a loader name, and a memory map of three 24-byte entries. */
static void mb1_build(void)
{
    memset(low, 0xEE, sizeof low);
    memset(low + MBI, 0, 88);
    low_put32(MBI + 0, (1u << 2) | (1u << 3) | (1u << 6) | (1u << 9));
    strcpy((char *)low + STRINGS, "/build/kernel.bin sched=rr  loglevel=3");
    low_put32(MBI + 16, STRINGS);
    strcpy((char *)low + STRINGS + 0x100, "qemu");
    low_put32(MBI + 64, STRINGS + 0x100);
    strcpy((char *)low + STRINGS + 0x200, "/tmp/initrd.cpio initrd0");
    strcpy((char *)low + STRINGS + 0x300, "/tmp/add.cpio");
    uint32_t mods[8] = {0x200000, 0x300000, STRINGS + 0x200, 0,
                        0x300000, 0x300800, STRINGS + 0x300, 0};
    memcpy(low + MODS, mods, sizeof mods);
    low_put32(MBI + 20, 2);
    low_put32(MBI + 24, MODS);
    for (int i = 0; i < 3; i++) {
        uint64_t base = (uint64_t)i << 20, length = i == 2 ? 0 : 1 << 20;
        uint32_t type = i == 1 ? 2 : MEMORY_AVAILABLE;
        low_put32(MMAP + i * 24, 20);
        memcpy(low + MMAP + i * 24 + 4, &base, 8);
        memcpy(low + MMAP + i * 24 + 12, &length, 8);
        memcpy(low + MMAP + i * 24 + 20, &type, 4);
    }
    low_put32(MBI + 44, 3 * 24);
    low_put32(MBI + 48, MMAP);
}

static int mb1_parse(void) { return multiboot1_parse(low, sizeof low, MBI, &info, &error); }

static void mb1_well_formed(void)
{
    mb1_build();
    CHECK_EQ(mb1_parse(), 0);
    CHECK_STR(info.cmdline, "sched=rr  loglevel=3"); /* without the file name */
    CHECK_STR(info.loader_name, "qemu");
    CHECK_EQ(info.module_count, 2);
    CHECK_STR(info.modules[0].name, "initrd0");
    CHECK_STR(info.modules[1].name, ""); /* only a file name */
    CHECK_EQ(info.modules[1].start, 0x300000);
    CHECK_EQ(info.modules[1].end, 0x300800);
    CHECK_EQ(info.region_count, 2); /* the empty third entry is dropped */
    CHECK_EQ(info.regions[1].type, 2);
    CHECK_EQ(info.regions[1].base, 1 << 20);
}

/* The file name goes before the line is cut to the kernel's buffer, so the
 * arguments get the whole buffer, as under GRUB. */
static void mb1_long_command_line(void)
{
    mb1_build();
    char *line = (char *)low + STRINGS + 0x400;
    strcpy(line, "/a/long/path/to/kernel.bin ");
    memset(line + strlen(line), 'a', BOOT_CMDLINE_MAX + 10);
    line[strlen("/a/long/path/to/kernel.bin ") + BOOT_CMDLINE_MAX + 10] = '\0';
    low_put32(MBI + 16, STRINGS + 0x400);
    CHECK_EQ(mb1_parse(), 0);
    CHECK_EQ(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
    CHECK_EQ(info.cmdline[0], 'a');
}

static void mb1_rejected(const char *why_contains)
{
    error = NULL;
    CHECK_EQ(mb1_parse(), -1);
    CHECK(error != NULL && strstr(error, why_contains) != NULL);
}

static void mb1_bad_addresses(void)
{
    mb1_build();
    CHECK_EQ(multiboot1_parse(low, sizeof low, sizeof low - 40, &info, &error), -1);
    mb1_build();
    low_put32(MBI + 16, sizeof low + 100); /* the command line */
    mb1_rejected("command line");
    mb1_build();
    low_put32(MBI + 24, sizeof low - 16); /* two modules need 32 bytes */
    mb1_rejected("module list");
    mb1_build();
    low_put32(MBI + 20, 0x20000000); /* a count whose list wraps 32 bits */
    mb1_rejected("module list");
    mb1_build();
    low_put32(MBI + 44, 0xFFFFFFF0); /* a map running past the memory */
    mb1_rejected("memory map");
}

static void mb1_unterminated_strings(void)
{
    mb1_build();
    memset(low + sizeof low - 8, 'x', 8); /* a string that runs off the end */
    low_put32(MBI + 16, sizeof low - 8);
    mb1_rejected("command line");
    mb1_build();
    low_put32(MODS + 8, sizeof low - 8);
    memset(low + sizeof low - 8, 'x', 8);
    mb1_rejected("module string");
    mb1_build();
    low_put32(MBI + 64, sizeof low - 8);
    memset(low + sizeof low - 8, 'x', 8);
    mb1_rejected("loader name");
}

static void mb1_bad_entries(void)
{
    mb1_build();
    low_put32(MODS + 4, 0x100000); /* ends before it starts */
    mb1_rejected("ends before it starts");
    mb1_build();
    low_put32(MMAP + 24, 8); /* an entry too small for base, length and type */
    mb1_rejected("memory map entry");
    mb1_build();
    low_put32(MMAP + 24, 1000); /* one running past the map */
    mb1_rejected("memory map entry");
    mb1_build();
    low_put32(MBI + 0, 0); /* no flags: nothing is read, nothing is wrong */
    low_put32(MBI + 16, 0xFFFFFFFF);
    CHECK_EQ(mb1_parse(), 0);
    CHECK_EQ(info.module_count, 0);
    CHECK_STR(info.cmdline, "");
}

static void mb1_random_garbage_never_crashes(void)
{
    unsigned seed = 777;
    for (int round = 0; round < 20000; round++) {
        mb1_build();
        for (int i = 0; i < 6; i++) { /* scribble on the structures */
            seed = seed * 1103515245 + 12345;
            size_t at = MBI + (seed >> 8) % (STRINGS + 0x400 - MBI);
            seed = seed * 1103515245 + 12345;
            low[at] = (unsigned char)(seed >> 16);
        }
        error = NULL;
        if (mb1_parse() == 0) {
            CHECK(info.region_count <= BOOT_MAX_REGIONS);
            CHECK(info.module_count <= BOOT_MAX_MODULES);
            CHECK(memchr(info.cmdline, 0, sizeof info.cmdline) != NULL);
        } else {
            CHECK(error != NULL);
        }
    }
}

static const struct unit_case cases[] = {
    UNIT(well_formed),
    UNIT(larger_mmap_entries_are_stepped_over),
    UNIT(too_short_for_header),
    UNIT(total_size_larger_than_buffer),
    UNIT(total_size_too_small),
    UNIT(missing_end_tag),
    UNIT(tag_runs_past_end),
    UNIT(tag_size_below_header),
    UNIT(unterminated_cmdline),
    UNIT(unterminated_module_name),
    UNIT(module_ending_before_start),
    UNIT(bad_mmap_entry_size),
    UNIT(end_tag_wrong_size),
    UNIT(wrapping_regions_are_dropped),
    UNIT(random_garbage_never_crashes),
    UNIT(mb1_well_formed),
    UNIT(mb1_long_command_line),
    UNIT(mb1_bad_addresses),
    UNIT(mb1_unterminated_strings),
    UNIT(mb1_bad_entries),
    UNIT(mb1_random_garbage_never_crashes),
};
UNIT_MAIN("unit.multiboot", cases)
