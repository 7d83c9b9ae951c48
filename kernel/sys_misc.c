/* sys_misc.c - the machine as a whole: its name, its log, its memory, turning it off. */
#include "kernel/sys_misc.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/lib/string.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/sys_hostname.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/frame.h"
#include "mm/swap.h"
#include "mm/kheap.h"
#include "proc/cred.h"
#include "proc/ns.h"
#include "proc/proc.h"

#define SPROUT_RELEASE "0.1"

long sys_uname(void *buf)
{
    char u[6][65];
    memset(u, 0, sizeof u);
    strlcpy(u[0], "sprout", 65);                /* sysname */
    hostname_get(u[1]);                         /* nodename: sethostname() sets it */
    strlcpy(u[2], SPROUT_RELEASE, 65);          /* release */
    strlcpy(u[3], "#1 " SPROUT_BUILD_DATE, 65); /* version */
    strlcpy(u[4], "x86_64", 65);                /* machine */
    domainname_get(u[5]);                       /* domainname: setdomainname() sets it */
    return copy_to_user(buf, u, sizeof u) < 0 ? -EFAULT : 0;
}

#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_MAGIC2A 85072278
#define REBOOT_MAGIC2B 369367448
#define REBOOT_MAGIC2C 537993216
#define RB_AUTOBOOT 0x01234567
#define RB_HALT_SYSTEM 0xcdef0123
#define RB_POWER_OFF 0x4321fedc

long sys_reboot(int magic1, int magic2, int command, void *arg)
{
    if (!capable(CAP_SYS_BOOT))
        return -EPERM; /* as Linux: checked before the magic numbers */
    if ((u32)magic1 != REBOOT_MAGIC1 || (magic2 != REBOOT_MAGIC2 && magic2 != REBOOT_MAGIC2A &&
                                         magic2 != REBOOT_MAGIC2B && magic2 != REBOOT_MAGIC2C))
        return -EINVAL;
    switch ((u32)command) {
    case RB_POWER_OFF:
    case RB_HALT_SYSTEM:
    case RB_AUTOBOOT:     /* a VM "reboot" ends the session too */
        mount_sync_all(); /* nothing written to a disk is lost by a clean power-off */
        pr_info("sprout: power off.\n");
        power_off();
    default:
        return -EINVAL;
    }
}

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

long sys_syslog(int type, char *buf, int len)
{
    if (type == SYSLOG_ACTION_SIZE_BUFFER)
        return (long)printk_log_size();
    if (type != SYSLOG_ACTION_READ_ALL)
        return type >= 0 && type <= 10 ? 0 : -EINVAL;
    if (len < 0)
        return -EINVAL;
    if (!buf && len)
        return -EINVAL;
    char *copy = kmalloc((size_t)len + 1);
    if (!copy)
        return -ENOMEM;
    size_t n = printk_read_log(copy, (size_t)len);
    long result = copy_to_user(buf, copy, n) < 0 ? -EFAULT : (long)n;
    kfree(copy);
    return result;
}

struct sysinfo {
    i64 uptime;
    u64 loads[3];
    u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs, pad;
    u32 pad2;
    u64 totalhigh, freehigh;
    u32 mem_unit;
    char reserved[4];
};

long sys_sysinfo(void *info)
{
    struct sysinfo s;
    memset(&s, 0, sizeof s);
    s.uptime = (i64)(uptime_ns() / NS_PER_SEC);
    s.totalram = frames_total() * 4096;
    s.freeram = frames_free() * 4096;
    s.totalswap = swap_total_pages() * 4096;
    s.freeswap = (swap_total_pages() - swap_used_pages()) * 4096;
    s.procs = (u16)proc_count();
    s.mem_unit = 1;
    return copy_to_user(info, &s, sizeof s) < 0 ? -EFAULT : 0;
}

long sys_getrandom(void *buf, size_t count, u32 flags)
{
    if (flags & ~7u)
        return -EINVAL;
    return random_to_user(buf, MIN(count, (size_t)33554431)); /* Linux's cap per call */
}
