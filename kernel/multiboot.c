/*
 * multiboot.c - defensive parsers for the boot information: Multiboot2 (GRUB)
 * and Multiboot 1 (QEMU's own loader, `-kernel`: tools/run-qemu).
 */
#include "kernel/multiboot.h"
#include "kernel/lib/string.h"

struct tag {
    u32 type;
    u32 size; /* including this header, excluding padding to 8 bytes */
};

struct mmap_tag {
    struct tag header;
    u32 entry_size;
    u32 entry_version;
    /* entries follow */
};

struct mmap_entry {
    u64 base;
    u64 length;
    u32 type;
    u32 reserved;
};

struct module_tag {
    struct tag header;
    u32 start, end;
    /* NUL-terminated string follows */
};

/* Copy a string that must end inside [s, s+len); false if it does not. */
static bool copy_tag_string(const char *s, size_t len, char *dest, size_t dest_size)
{
    if (strnlen(s, len) == len)
        return false;
    strlcpy(dest, s, dest_size);
    return true;
}

/* Keep a memory-map entry in out->regions (not one that is empty or wraps
 * past 2^64: not usable); false once the array is full. */
static bool add_region(struct boot_info *out, const struct mmap_entry *entry)
{
    if (entry->length == 0 || entry->base + entry->length < entry->base)
        return true;
    if (out->region_count == BOOT_MAX_REGIONS)
        return false;
    out->regions[out->region_count++] =
        (struct memory_region){entry->base, entry->length, entry->type};
    return true;
}

static int fail(const char **error, const char *why)
{
    if (error)
        *error = why;
    return -1;
}

int multiboot_parse(const void *info, size_t available, struct boot_info *out, const char **error)
{
    const u8 *base = info;
    memset(out, 0, sizeof *out);
    if (available < 16)
        return fail(error, "boot information shorter than its header");

    u32 total_size;
    memcpy(&total_size, base, 4);
    if (total_size < 16 || total_size > available)
        return fail(error, "total_size out of range");
    out->info_start = (u64)(uintptr_t)base;
    out->info_end = out->info_start + total_size;

    size_t offset = 8;
    while (true) {
        if (offset + sizeof(struct tag) > total_size)
            return fail(error, "tag list ends without an end tag");
        struct tag tag;
        memcpy(&tag, base + offset, sizeof tag);
        if (tag.size < sizeof(struct tag) || tag.size > total_size - offset)
            return fail(error, "a tag's size runs past the end");
        const u8 *body = base + offset + sizeof(struct tag);
        size_t body_len = tag.size - sizeof(struct tag);

        switch (tag.type) {
        case MB2_TAG_END:
            if (tag.size != 8)
                return fail(error, "end tag has the wrong size");
            return 0;
        case MB2_TAG_CMDLINE:
            if (!copy_tag_string((const char *)body, body_len, out->cmdline, sizeof out->cmdline))
                return fail(error, "command line is not NUL-terminated");
            break;
        case MB2_TAG_LOADER_NAME:
            if (!copy_tag_string((const char *)body, body_len, out->loader_name,
                                 sizeof out->loader_name))
                return fail(error, "boot loader name is not NUL-terminated");
            break;
        case MB2_TAG_MODULE: {
            if (tag.size < sizeof(struct module_tag) + 1)
                return fail(error, "module tag too short");
            struct module_tag m;
            memcpy(&m, base + offset, sizeof m);
            if (m.end < m.start)
                return fail(error, "module ends before it starts");
            if (out->module_count == BOOT_MAX_MODULES)
                break; /* more modules than we use: ignore the rest */
            struct boot_module *mod = &out->modules[out->module_count];
            const char *name = (const char *)base + offset + sizeof m;
            if (!copy_tag_string(name, tag.size - sizeof m, mod->name, sizeof mod->name))
                return fail(error, "module string is not NUL-terminated");
            mod->start = m.start;
            mod->end = m.end;
            out->module_count++;
            break;
        }
        case MB2_TAG_MMAP: {
            if (tag.size < sizeof(struct mmap_tag))
                return fail(error, "memory map tag too short");
            struct mmap_tag mt;
            memcpy(&mt, base + offset, sizeof mt);
            if (mt.entry_size < sizeof(struct mmap_entry) || mt.entry_size % 8 != 0)
                return fail(error, "memory map entry_size is invalid");
            size_t entries_len = tag.size - sizeof mt;
            for (size_t e = 0; e + mt.entry_size <= entries_len; e += mt.entry_size) {
                struct mmap_entry entry;
                memcpy(&entry, base + offset + sizeof mt + e, sizeof entry);
                if (!add_region(out, &entry))
                    break;
            }
            break;
        }
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW: {
            /* The newer copy wins; it has the 64-bit XSDT address. */
            size_t length = MIN(body_len, sizeof out->rsdp);
            if (length >= 20 && (tag.type == MB2_TAG_ACPI_NEW || out->rsdp_length == 0)) {
                memcpy(out->rsdp, body, length);
                out->rsdp_length = (u32)length;
            }
            break;
        }
        default: /* framebuffer, ...: not needed */
            break;
        }
        offset += ALIGN_UP((size_t)tag.size, 8);
    }
}

/* --- Multiboot 1 (specification 0.6.96, section 3.3) ----------------------- */

/* The information structure's fields that sprout reads, by byte offset. */
#define MB1_INFO_FLAGS 0
#define MB1_INFO_CMDLINE 16
#define MB1_INFO_MODS_COUNT 20
#define MB1_INFO_MODS_ADDR 24
#define MB1_INFO_MMAP_LENGTH 44
#define MB1_INFO_MMAP_ADDR 48
#define MB1_INFO_LOADER_NAME 64
#define MB1_INFO_SIZE 68 /* up to and including boot_loader_name */

#define MB1_HAS_CMDLINE (1u << 2)
#define MB1_HAS_MODS (1u << 3)
#define MB1_HAS_MMAP (1u << 6)
#define MB1_HAS_LOADER_NAME (1u << 9)

#define MB1_STRING_MAX 65536 /* a string must end within this many bytes */

struct mb1_module {
    u32 start, end; /* physical, end exclusive */
    u32 string;     /* physical address of its NUL-terminated string */
    u32 reserved;
};

/* Physical memory as the parser sees it: [0, size) at `base`. */
struct low_memory {
    const u8 *base;
    size_t size;
};

static bool readable(const struct low_memory *m, u64 phys, u64 length)
{
    return phys <= m->size && length <= m->size - phys;
}

static u32 read32(const struct low_memory *m, u64 phys)
{
    u32 v;
    memcpy(&v, m->base + phys, 4);
    return v;
}

/* The NUL-terminated string at physical `phys`, or NULL if it does not end
 * within MB1_STRING_MAX bytes of readable memory. */
static const char *phys_string(const struct low_memory *m, u64 phys)
{
    if (!readable(m, phys, 1))
        return NULL;
    const char *s = (const char *)m->base + phys;
    size_t limit = MIN(m->size - phys, MB1_STRING_MAX);
    return strnlen(s, limit) < limit ? s : NULL;
}

/* By convention (GRUB Legacy, QEMU) the command line and each module's string
 * start with the file's name: what follows it is what the kernel was given. */
static const char *after_file_name(const char *string)
{
    while (*string && *string != ' ')
        string++;
    while (*string == ' ')
        string++;
    return string;
}

int multiboot1_parse(const void *memory, size_t memory_size, u64 info_phys, struct boot_info *out,
                     const char **error)
{
    const struct low_memory m = {memory, memory_size};
    memset(out, 0, sizeof *out);
    if (!readable(&m, info_phys, MB1_INFO_SIZE))
        return fail(error, "information structure outside memory");
    out->info_start = (u64)(uintptr_t)(m.base + info_phys);
    out->info_end = out->info_start + MB1_INFO_SIZE;
    u32 flags = read32(&m, info_phys + MB1_INFO_FLAGS);

    if (flags & MB1_HAS_CMDLINE) {
        const char *line = phys_string(&m, read32(&m, info_phys + MB1_INFO_CMDLINE));
        if (!line)
            return fail(error, "command line is not NUL-terminated (or longer than 64 KiB)");
        strlcpy(out->cmdline, after_file_name(line), sizeof out->cmdline); /* cut as GRUB's */
    }
    if (flags & MB1_HAS_LOADER_NAME) {
        const char *name = phys_string(&m, read32(&m, info_phys + MB1_INFO_LOADER_NAME));
        if (!name)
            return fail(error, "boot loader name is not NUL-terminated");
        strlcpy(out->loader_name, name, sizeof out->loader_name);
    }

    if (flags & MB1_HAS_MODS) {
        u32 count = read32(&m, info_phys + MB1_INFO_MODS_COUNT);
        u64 list = read32(&m, info_phys + MB1_INFO_MODS_ADDR);
        if (!readable(&m, list, (u64)count * sizeof(struct mb1_module)))
            return fail(error, "module list outside memory");
        for (u32 i = 0; i < count && out->module_count < BOOT_MAX_MODULES; i++) {
            struct mb1_module mod;
            memcpy(&mod, m.base + list + i * sizeof mod, sizeof mod);
            if (mod.end < mod.start)
                return fail(error, "module ends before it starts");
            const char *string = phys_string(&m, mod.string);
            if (!string)
                return fail(error, "module string is not NUL-terminated");
            struct boot_module *dest = &out->modules[out->module_count++];
            strlcpy(dest->name, after_file_name(string), sizeof dest->name);
            dest->start = mod.start;
            dest->end = mod.end;
        }
    }

    if (flags & MB1_HAS_MMAP) {
        /* Entries of any size: a u32 size (not counting itself), then base,
         * length and type. */
        u64 at = read32(&m, info_phys + MB1_INFO_MMAP_ADDR);
        u64 end = at + read32(&m, info_phys + MB1_INFO_MMAP_LENGTH);
        if (!readable(&m, at, end - at))
            return fail(error, "memory map outside memory");
        while (at + 4 <= end) {
            u32 size = read32(&m, at);
            if (size < 20 || size > end - at - 4)
                return fail(error, "a memory map entry's size is invalid");
            struct mmap_entry entry = {0};
            memcpy(&entry, m.base + at + 4, 20);
            at += 4 + (u64)size;
            if (!add_region(out, &entry))
                break;
        }
    }
    return 0;
}

const char *memory_type_name(u32 type)
{
    switch (type) {
    case MEMORY_AVAILABLE:
        return "usable";
    case MEMORY_ACPI_RECLAIMABLE:
        return "ACPI data";
    case MEMORY_NVS:
        return "ACPI NVS";
    case MEMORY_BAD:
        return "bad";
    default:
        return "reserved";
    }
}
