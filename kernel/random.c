/*
 * random.c - a xorshift generator seeded from the time-stamp counter and the
 * clock.  Good enough to make programs differ from run to run; not secure.
 */
#include "kernel/random.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "sched/sched.h"

static u64 state = 0x9E3779B97F4A7C15ull;

void random_init(void) { state ^= rdtsc() ^ (realtime_ns() << 17); }

u64 random_u64(void)
{
    bool irq = irq_save();
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    u64 value = state * 0x2545F4914F6CDD1Dull;
    irq_restore(irq);
    return value;
}

void random_fill(void *buf, size_t size)
{
    u8 *p = buf;
    while (size) {
        u64 r = random_u64();
        size_t n = MIN(size, sizeof r);
        memcpy(p, &r, n);
        p += n;
        size -= n;
    }
}

long random_to_user(void *buf, size_t size)
{
    u8 chunk[256];
    size_t done = 0;
    while (done < size) {
        size_t n = MIN(size - done, sizeof chunk);
        if (sched_preempt_point() < 0) /* megabytes take a while: yield, and stop for SIGKILL */
            return done ? (long)done : -EINTR;
        random_fill(chunk, n);
        if (copy_to_user((u8 *)buf + done, chunk, n) < 0)
            return done ? (long)done : -EFAULT;
        done += n;
    }
    return (long)done;
}
