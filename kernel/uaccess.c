/* uaccess.c - checked copies between kernel and user memory (see uaccess.h). */
#include "kernel/uaccess.h"
#include "kernel/errno.h"
#include "kernel/param.h"
#include "mm/layout.h"

extern u64 uaccess_copy(void *dest, const void *src, u64 count);
extern u64 uaccess_cmpxchg32(u32 *uaddr, u32 old, u32 new, u32 *found);
extern char uaccess_copy_end[], uaccess_fault[];

bool user_range_ok(const void *ptr, size_t size)
{
    u64 start = (u64)ptr;
    return start + size >= start && start + size <= USER_TOP;
}

int copy_from_user(void *dest, const void *user_src, size_t size)
{
    if (!user_range_ok(user_src, size))
        return -EFAULT;
    return uaccess_copy(dest, user_src, size) ? -EFAULT : 0;
}

int copy_to_user(void *user_dest, const void *src, size_t size)
{
    if (!user_range_ok(user_dest, size))
        return -EFAULT;
    return uaccess_copy(user_dest, src, size) ? -EFAULT : 0;
}

int clear_user(void *user_dest, size_t size)
{
    static const u8 zeros[256];
    u8 *p = user_dest;
    while (size > 0) {
        size_t chunk = MIN(size, sizeof zeros);
        if (copy_to_user(p, zeros, chunk) < 0)
            return -EFAULT;
        p += chunk;
        size -= chunk;
    }
    return 0;
}

int cmpxchg_user32(u32 *uaddr, u32 old, u32 new, u32 *found)
{
    if (((u64)uaddr & 3) || !user_range_ok(uaddr, sizeof *uaddr))
        return -EFAULT;
    return uaccess_cmpxchg32(uaddr, old, new, found) ? -EFAULT : 0;
}

long strncpy_from_user(char *dest, const char *user_src, size_t max)
{
    size_t done = 0;
    while (done < max) {
        /* Copy up to the end of the page only: the next page may not exist
         * even though the string ends before it. */
        u64 address = (u64)user_src + done;
        size_t chunk = MIN(max - done, PAGE_SIZE - (address % PAGE_SIZE));
        if (copy_from_user(dest + done, (const void *)address, chunk) < 0)
            return -EFAULT;
        for (size_t i = 0; i < chunk; i++)
            if (dest[done + i] == '\0')
                return (long)(done + i);
        done += chunk;
    }
    if (max)
        dest[max - 1] = '\0';
    return -ENAMETOOLONG;
}

bool uaccess_active(const struct trap_frame *frame)
{
    return frame->rip >= (u64)uaccess_copy && frame->rip < (u64)uaccess_copy_end;
}

void uaccess_fixup(struct trap_frame *frame) { frame->rip = (u64)uaccess_fault; }
