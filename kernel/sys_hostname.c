/*
 * sys_hostname.c - the machine's name (see sys_hostname.h).
 *
 * sethostname(name, len) takes exactly len bytes from user memory (no NUL
 * needed, bytes after len are not read) and makes them the name.  As in
 * Linux (kernel/sys.c), in this order:
 *
 *   len < 0 or len > 64        -EINVAL, before any user memory is touched
 *   a bad byte in name[0,len)  -EFAULT, and the old name stays: the bytes are
 *                              copied into a kernel buffer first, and only a
 *                              complete copy replaces the name
 *   len == 0                   the name becomes "" (nothing is read, so even
 *                              a NULL pointer is fine)
 *
 * Before all of these, Linux requires CAP_SYS_ADMIN (-EPERM otherwise).  uname(2) reads the name
 * through hostname_get().
 *
 * The name belongs to the caller's UTS namespace (proc/ns.h): a process in a
 * box created with CLONE_NEWUTS renames its box, not the machine.
 */
#include "kernel/sys_hostname.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "proc/cred.h"
#include "proc/proc.h"

_Static_assert(HOSTNAME_MAX == UTS_NAME_LEN, "the name fits its namespace");

void hostname_get(char *out)
{
    bool irq = irq_save(); /* a name, not half of two */
    memcpy(out, current->ns.uts->hostname, HOSTNAME_MAX + 1);
    irq_restore(irq);
}

long sys_sethostname(const char *name, int len)
{
    char copy[HOSTNAME_MAX + 1];
    if (!capable(CAP_SYS_ADMIN))
        return -EPERM;
    if (len < 0 || len > HOSTNAME_MAX)
        return -EINVAL;
    if (len > 0 && copy_from_user(copy, name, (size_t)len) < 0)
        return -EFAULT; /* the name is unchanged */
    memset(copy + len, 0, sizeof copy - (size_t)len);
    bool irq = irq_save();
    memcpy(current->ns.uts->hostname, copy, sizeof copy);
    irq_restore(irq);
    return 0;
}
