/*
 * printk.h - the kernel's printf, with Linux's log levels.
 *
 *   pr_err("frame: out of memory\n");
 *   printk(KERN_INFO "sprout: %d MiB free\n", mib);
 *
 * A message is shown on the console when its level is below the console log
 * level (boot option `loglevel=`, default 7: everything but debug).  Every
 * message is also kept in a ring buffer that `dmesg` reads.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include "kernel/types.h"

#define KERN_SOH "\001" /* start of header: a level digit follows */
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define LOGLEVEL_DEFAULT 4 /* level of a message that names none */
#define CONSOLE_LOGLEVEL_DEFAULT 7

#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

extern int console_loglevel;
/* Set by panic() once the other CPUs are stopped: printk and the console
 * stop taking their locks (a stopped CPU may hold one). */
extern volatile bool printk_panicking;

void printk(const char *fmt, ...) PRINTF_LIKE(1, 2);
void vprintk(const char *fmt, va_list args);

/*
 * Copy up to `size` bytes of the log ring (oldest first) to `buf`; returns the
 * count.  Used by the syslog system call behind `dmesg`.
 */
size_t printk_read_log(char *buf, size_t size);
size_t printk_log_size(void);

#endif
