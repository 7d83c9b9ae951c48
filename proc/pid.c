/*
 * pid.c - process IDs, allocated like Linux: the next number after the
 * last one handed out, up to PID_MAX-1, then wrapping to a low number and
 * skipping PIDs still in use (a zombie keeps its PID until it is reaped).
 */
#include "kernel/errno.h"
#include "kernel/param.h"
#include "kernel/x86.h"
#include "proc/proc.h"

static u64 pid_bitmap[PID_MAX / 64]; /* bit set: PID in use */
static int last_pid;                 /* the most recently allocated PID */

bool pid_in_use(int pid)
{
    return pid >= 0 && pid < PID_MAX && (pid_bitmap[pid / 64] >> (pid % 64)) & 1;
}

static void mark(int pid, bool used)
{
    if (used)
        pid_bitmap[pid / 64] |= 1ull << (pid % 64);
    else
        pid_bitmap[pid / 64] &= ~(1ull << (pid % 64));
}

int pid_alloc(void)
{
    bool irq = irq_save();
    int pid = last_pid;
    for (int tries = 0; tries < PID_MAX; tries++) {
        pid++;
        if (pid >= PID_MAX)
            pid = PID_FIRST_AFTER_WRAP;
        if (!pid_in_use(pid)) {
            mark(pid, true);
            last_pid = pid;
            irq_restore(irq);
            return pid;
        }
    }
    irq_restore(irq);
    return -EAGAIN; /* every PID is taken */
}

void pid_free(int pid)
{
    bool irq = irq_save();
    if (pid > 0 && pid < PID_MAX)
        mark(pid, false);
    irq_restore(irq);
}

/* For the in-kernel tests: make the next allocation start after `pid`. */
void pid_set_last(int pid) { last_pid = pid; }
int pid_get_last(void) { return last_pid; }
