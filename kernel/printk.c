/* printk.c - format, timestamp, keep in the log ring, show on the console. */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/lock/spinlock.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
volatile bool printk_panicking;

/*
 * protected by: printk_lock -- the log ring, log_written, at_line_start and
 * console_line; and one message's place on the console (taken before the
 * console's own lock: printk -> console).  Every CPU may print, with or
 * without the big kernel lock.  Once a panic has stopped the other CPUs
 * (printk_panicking), printk takes no lock: a stopped CPU may hold it.
 */
static struct spinlock printk_lock = SPINLOCK_INIT("printk");

#define LOG_SIZE (64 * 1024)
static char log_ring[LOG_SIZE];
static u64 log_written; /* total bytes ever written; the ring holds the last LOG_SIZE */

static void log_append(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        log_ring[(log_written + i) % LOG_SIZE] = s[i];
    log_written += len;
}

/* Console output converts "\n" to "\r\n" so lines start at column 0 on a raw terminal. */
static char console_line[1200];

static void console_print(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n + 2 > sizeof console_line) {
            console_write(console_line, n);
            n = 0;
        }
        if (s[i] == '\n')
            console_line[n++] = '\r';
        console_line[n++] = s[i];
    }
    console_write(console_line, n);
}

static bool at_line_start = true;

void vprintk(const char *fmt, va_list args)
{
    int level = LOGLEVEL_DEFAULT;
    if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
        level = fmt[1] - '0';
        fmt += 2;
    }

    char text[512];
    int len = vsnprintf(text, sizeof text, fmt, args);
    if (len >= (int)sizeof text)
        len = sizeof text - 1;

    u64 ns = uptime_ns();
    bool locked = !printk_panicking;
    if (locked)
        spin_lock(&printk_lock); /* one message together, whichever CPU prints too */
    char stamp[32] = "";
    int stamp_len = 0;
    if (at_line_start)
        stamp_len = snprintf(stamp, sizeof stamp, "[%5lu.%06lu] ", (unsigned long)(ns / 1000000000),
                             (unsigned long)(ns / 1000 % 1000000));
    at_line_start = len > 0 && text[len - 1] == '\n';
    log_append(stamp, (size_t)stamp_len);
    log_append(text, (size_t)len);
    if (level < console_loglevel) {
        console_print(stamp, (size_t)stamp_len);
        console_print(text, (size_t)len);
    }
    if (locked)
        spin_unlock(&printk_lock);
}

void printk(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

size_t printk_log_size(void) { return log_written < LOG_SIZE ? log_written : LOG_SIZE; }

size_t printk_read_log(char *buf, size_t size)
{
    spin_lock(&printk_lock);
    size_t have = printk_log_size();
    size_t n = MIN(size, have);
    u64 start = log_written - have;
    for (size_t i = 0; i < n; i++)
        buf[i] = log_ring[(start + i) % LOG_SIZE];
    spin_unlock(&printk_lock);
    return n;
}
