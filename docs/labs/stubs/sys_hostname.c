/*
 * sys_hostname.c - LAB: the machine's name, and the sethostname(2) system
 * call you add end to end (docs/labs/syscall.md).
 *
 * This is the student edition's starting point: the name exists and uname(2)
 * reports it (hostname_get), but nothing can change it -- sethostname is "-"
 * in kernel/syscalls.tbl, so calling it gives -ENOSYS.  Your work:
 *
 *   1. kernel/syscalls.tbl: number 170 gets its handler, sys_sethostname;
 *   2. here: long sys_sethostname(const char *name, int len), declared in
 *      kernel/sys_hostname.h.  The rules the grader checks, in this order:
 *        - first, as Linux: a caller without CAP_SYS_ADMIN gets -EPERM
 *          (capable(), proc/cred.h; root has it);
 *        - len < 0 or len > HOSTNAME_MAX (64): -EINVAL, before reading anything;
 *        - exactly len bytes are taken from name (no NUL needed, nothing
 *          after them is read); a byte that cannot be read: -EFAULT, and the
 *          old name stays (copy_from_user() into a kernel buffer first);
 *        - len 0 makes the name "" without reading (NULL is fine then);
 *        - success: 0, and uname's nodename is the new name: it lives in
 *          current->ns.uts->hostname, the caller's UTS namespace (replace
 *          it under irq_save(), as hostname_get() reads it);
 *   3. user/strace/decode.c: a format line so that strace shows
 *      sethostname("lab-host", 8) = 0 (the name has no NUL: a buffer whose
 *      length is the next argument, like setdomainname's, not a string).
 *
 * Replace this comment with one that explains your handler.
 */
#include "kernel/sys_hostname.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "proc/cred.h"
#include "proc/proc.h"

_Static_assert(HOSTNAME_MAX == UTS_NAME_LEN, "the name fits its namespace");

/* The name is the caller's UTS namespace's (proc/ns.h): a box made with
 * CLONE_NEWUTS has a name of its own. */
void hostname_get(char *out)
{
    bool irq = irq_save(); /* a name, not half of two */
    memcpy(out, current->ns.uts->hostname, HOSTNAME_MAX + 1);
    irq_restore(irq);
}

/* TODO: long sys_sethostname(const char *name, int len) */
