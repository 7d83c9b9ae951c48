/* cpio.c - the newc cpio reader (see cpio.h). */
#include "kernel/fs/cpio.h"
#include "kernel/lib/string.h"

#define HEADER_SIZE 110

/* Eight hex digits; false if any is not hex. */
static bool hex8(const u8 *p, u32 *value)
{
    u32 v = 0;
    for (int i = 0; i < 8; i++) {
        u8 c = p[i];
        u32 digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        v = v << 4 | digit;
    }
    *value = v;
    return true;
}

int cpio_next(const u8 *archive, u64 size, u64 *offset, struct cpio_entry *entry)
{
    u64 at = *offset;
    if (at >= size)
        return 0;
    if (size - at < HEADER_SIZE || memcmp(archive + at, "070701", 6) != 0)
        return -1;
    u32 fields[13];
    for (int i = 0; i < 13; i++)
        if (!hex8(archive + at + 6 + 8 * i, &fields[i]))
            return -1;
    u32 mode = fields[1], mtime = fields[5], filesize = fields[6], namesize = fields[11];
    u64 name_at = at + HEADER_SIZE;
    if (namesize == 0 || namesize > size - name_at)
        return -1;
    const char *name = (const char *)archive + name_at;
    if (name[namesize - 1] != '\0' || strnlen(name, namesize) != namesize - 1)
        return -1;
    u64 data_at = ALIGN_UP(name_at + namesize, 4);
    if (data_at > size || filesize > size - data_at)
        return -1;
    if (strcmp(name, "TRAILER!!!") == 0)
        return 0;
    *entry = (struct cpio_entry){
        .name = name,
        .mode = mode,
        .data = archive + data_at,
        .size = filesize,
        .mtime = mtime,
    };
    *offset = ALIGN_UP(data_at + filesize, 4);
    return 1;
}
